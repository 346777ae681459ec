-- Sentinel's session table for production: a customer KMS key, point-in-time recovery, deletion
-- protection, tags, and provisioned capacity on the table and every index.
--   sentinel-tables apply examples/hardened.lua [ENV] --yes
-- SENTINEL_KMS_KEY names the key (a key ARN, alias ARN, alias/NAME or key id).
local env = arg and arg[1]
local name = "sentinel-sessions-hardened"
if env and env ~= "" then name = name .. "-" .. env end

local sessions = sentinel.schema.sessions {
  name = name,
  billing_mode = "PROVISIONED",
  read_capacity = 10,
  write_capacity = 5,
  encryption = { type = "CUSTOMER_KEY", kms_key = os.getenv("SENTINEL_KMS_KEY") or "alias/sentinel-tables" },
  deletion_protection = true,
  point_in_time_recovery = true,
  tags = { team = "platform", ["cost-center"] = "security" },
}
for _, gsi in ipairs(sessions.gsis) do
  gsi.read_capacity = 5
  gsi.write_capacity = 2
end

assert(sentinel.validate(sessions))
return sessions

-- The Sentinel tables of one environment, stamped with Acme's tags by the host's `acme.tags_for`.
local env = ... or "dev"

local schemas = {
  sentinel.schema.approvals { name = "sentinel-requests-" .. env },
  sentinel.schema.breakglass { name = "sentinel-breakglass-" .. env },
  sentinel.schema.sessions { name = "sentinel-sessions-" .. env, point_in_time_recovery = true },
}

for _, schema in ipairs(schemas) do
  schema.tags = acme.tags_for("platform")
  schema.tags.environment = env
end

return schemas

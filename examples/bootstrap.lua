-- The three Sentinel tables, exactly as Sentinel's own schema defines them.
--   sentinel-tables plan examples/bootstrap.lua [ENV]
--   sentinel-tables apply examples/bootstrap.lua [ENV] --yes
-- With ENV the names become sentinel-requests-ENV, sentinel-breakglass-ENV and sentinel-sessions-ENV.
local env = arg and arg[1]

local function named(base)
  if env and env ~= "" then return base .. "-" .. env end
  return base
end

return {
  sentinel.schema.approvals { name = named("sentinel-requests") },
  sentinel.schema.breakglass { name = named("sentinel-breakglass") },
  sentinel.schema.sessions { name = named("sentinel-sessions") },
}

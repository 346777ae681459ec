-- Sentinel's session store queries an index `gsi-device-id` that Sentinel's own schema never creates.
-- This declarative script returns the sessions schema with that index added, per environment (the
-- first script argument, as in bootstrap.lua; `dev` when none is given):
--   sentinel-tables schema examples/device-sessions.lua
--   sentinel-tables schema examples/device-sessions.lua prod --format json
--   sentinel-tables plan examples/device-sessions.lua prod
local env = arg and arg[1]
if env == nil or env == "" then env = "dev" end

local sessions = sentinel.schema.sessions { name = "sentinel-sessions-" .. env }
sessions:add_gsi { name = "gsi-device-id", partition_key = "device_id", sort_key = "created_at" }
sessions.tags.environment = env
if env == "prod" then
  sessions.deletion_protection = true
  sessions.point_in_time_recovery = true
end

assert(sentinel.validate(sessions))
return sessions

-- The imperative form of bootstrap.lua: apply the three Sentinel tables from a script and print
-- each result.
--   sentinel-tables run --endpoint-url http://127.0.0.1:8000 examples/run-bootstrap.lua [ENV]
local schemas = require("bootstrap")   -- bootstrap.lua, next to this script; it reads arg[1] too

local results = sentinel.apply(schemas)
local failed = 0
for _, result in ipairs(results) do
  print(("%-32s %-8s %s"):format(result.table, result.status, result.error or result.arn or ""))
  if result.status == "FAILED" then failed = failed + 1 end
end
if failed > 0 then error(("%d table(s) failed"):format(failed)) end

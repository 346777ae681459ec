#!/usr/bin/env sentinel-tables run
-- The smallest script: greets whoever is named on the command line.
--   swift run sentinel-tables run examples/hello.lua [NAME]
local name = arg[1] or "world"
print(("hello, %s, from %s"):format(name, _VERSION))
return name

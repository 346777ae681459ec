-- luacheck configuration for the example scripts (scripts/test runs `luacheck examples`).
std = "lua54"
-- The tool's API, provided by the host.
read_globals = { "sentinel" }
max_line_length = 110

-- The embedding example's host registers `acme` (examples/embedding/Sources/acme-tables/TagPolicy.swift).
files["examples/embedding/tables.lua"] = { read_globals = { "acme" } }

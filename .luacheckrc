-- luacheck configuration for the example scripts (scripts/test runs `luacheck examples`).
std = "lua54"
-- The tool's API, provided by the host.
read_globals = { "sentinel" }
max_line_length = 110

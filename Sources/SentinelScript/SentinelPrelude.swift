/// The Lua half of the `sentinel` module: what is simplest to say in Lua. Schema values are plain Lua
/// tables that share one metatable of methods, so a script can read and edit every field directly.
///
/// The constructors are host functions (so their errors name the caller's line even in a tail call such
/// as `return sentinel.table {...}`) that return tables with this chunk's `Schema` metatable. `add_gsi`
/// edits its schema in place, so it is written here: its host half returns `nil, message`, which it
/// raises with `error(message, 2)` to name the script's line rather than this chunk's.
enum SentinelPrelude {
    static let chunkName = "=[sentinel]"

    static let source = #"""
        local host = ...
        local error, getmetatable, ipairs, pairs, rawget = error, getmetatable, ipairs, pairs, rawget
        local setmetatable, tostring, type = setmetatable, tostring, type
        local remove = table.remove

        local sentinel = {}

        local Schema = { __name = "sentinel.schema" }
        Schema.__index = Schema

        local function deep_copy(value, seen)
          if type(value) ~= "table" then return value end
          if seen[value] then return seen[value] end
          local result = {}
          seen[value] = result
          for k, v in pairs(value) do result[deep_copy(k, seen)] = deep_copy(v, seen) end
          return setmetatable(result, getmetatable(value))
        end

        local function check_self(self, method)
          if getmetatable(self) ~= Schema then
            error(("calling '%s' on bad self (schema expected, got %s); use s:%s(...)")
              :format(method, type(self), method), 3)
          end
        end

        --- Adds a global secondary index; errors name the caller's line.
        function Schema:add_gsi(spec)
          check_self(self, "add_gsi")
          local gsi, message = host.gsi(self, spec)
          if gsi == nil then error(message, 2) end
          local gsis = rawget(self, "gsis")
          if gsis == nil then
            gsis = {}
            self.gsis = gsis
          end
          gsis[#gsis + 1] = gsi
          return self
        end

        --- Removes the global secondary index called `name`; an unknown name is an error.
        function Schema:remove_gsi(name)
          check_self(self, "remove_gsi")
          if type(name) ~= "string" then
            error(("bad argument #1 to 'remove_gsi' (string expected, got %s)"):format(type(name)), 2)
          end
          local gsis = rawget(self, "gsis")
          if type(gsis) == "table" then
            for i, gsi in ipairs(gsis) do
              if type(gsi) == "table" and gsi.name == name then
                remove(gsis, i)
                return self
              end
            end
          end
          error(("no GSI named '%s' in schema '%s'"):format(name, tostring(rawget(self, "name"))), 2)
        end

        --- A deep copy that can be edited without changing the original.
        function Schema:copy()
          check_self(self, "copy")
          return deep_copy(self, {})
        end

        --- `true`, or `nil` and every problem with its field path.
        function Schema:validate()
          check_self(self, "validate")
          return sentinel.validate(self)
        end

        host.set_schema_metatable(Schema)

        for name, value in pairs(host.functions) do sentinel[name] = value end

        if type(package) == "table" and type(package.loaded) == "table" then
          package.loaded.sentinel = sentinel
        end
        _ENV.sentinel = sentinel
        return sentinel
        """#
}

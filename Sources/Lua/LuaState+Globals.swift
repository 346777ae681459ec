import CLua54
import CLuaBridge

extension LuaState {
    /// Sets a global variable (raw: a metatable on `_G` is not consulted).
    public func setGlobal(_ name: String, _ value: LuaValue) throws {
        releaseQueuedReferences()
        try balanced {
            clua_pushglobaltable(lua)
            pushBytes(Array(name.utf8))
            try push(value)
            lua_rawset(lua, -3)
            clua_pop(lua, 1)
        }
    }

    /// Reads a global variable (raw).
    public func global(_ name: String) throws -> LuaValue {
        try balanced {
            clua_pushglobaltable(lua)
            pushBytes(Array(name.utf8))
            lua_rawget(lua, -2)
            let result = try value(at: -1)
            clua_pop(lua, 2)
            return result
        }
    }

    /// The names of the global variables, sorted (for completion and help).
    public func globalNames() -> [String] {
        clua_pushglobaltable(lua)
        defer { clua_pop(lua, 1) }
        return keyNames(ofTableAt: -1)
    }

    /// The string keys of the table at `index`, sorted.
    func keyNames(ofTableAt index: Int32) -> [String] {
        let table = lua_absindex(lua, index)
        var names: [String] = []
        lua_pushnil(lua)
        while lua_next(lua, table) != 0 {
            if lua_type(lua, -2) == LUA_TSTRING { names.append(stringAt(-2).description) }
            clua_pop(lua, 1)
        }
        return names.sorted()
    }

    /// Makes a Lua function value backed by a Swift closure; `name` is used in its error messages.
    /// With `isMethod`, argument errors count `self` as Lua does for `obj:name()` calls.
    public func function(
        named name: String, isMethod: Bool = false, _ body: @escaping LuaHostFunction
    ) -> LuaValue {
        pushFunction(named: name, isMethod: isMethod, body)
        return .function(popReference())
    }

    func pushFunction(named name: String, isMethod: Bool, _ body: @escaping LuaHostFunction) {
        let function = HostFunction(name: name, isMethod: isMethod, state: self, body: body)
        clb_push_host_function(lua, Unmanaged.passRetained(function).toOpaque(), name)
    }

    /// Defines a global function backed by a Swift closure.
    public func register(_ name: String, _ body: @escaping LuaHostFunction) throws {
        try setGlobal(name, function(named: name, body))
    }

    /// Makes `table` the module `name`, so `require(name)` returns it; with `global`, also sets the
    /// global variable `name` (the last component of a dotted name is not split: use plain names).
    public func registerModule(_ name: String, _ table: [String: LuaValue], global: Bool = false) throws {
        let module = LuaValue.map(Dictionary(uniqueKeysWithValues: table.map { (.text($0.key), $0.value) }))
        try balanced {
            lua_getfield(lua, clua_registryindex(), LUA_LOADED_TABLE)
            pushBytes(Array(name.utf8))
            try push(module)
            if global {
                clua_pushglobaltable(lua)
                pushBytes(Array(name.utf8))
                lua_pushvalue(lua, -3)
                lua_rawset(lua, -3)
                clua_pop(lua, 1)
            }
            lua_rawset(lua, -3)
            clua_pop(lua, 1)
        }
    }

    /// Makes a module of host functions: each is named `module.function` in error messages.
    public func registerModule(
        _ name: String, functions: [String: LuaHostFunction], global: Bool = false
    ) throws {
        var table: [String: LuaValue] = [:]
        for (functionName, body) in functions {
            table[functionName] = function(named: "\(name).\(functionName)", body)
        }
        try registerModule(name, table, global: global)
    }
}

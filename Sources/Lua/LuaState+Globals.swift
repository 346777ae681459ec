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

    /// Defines a global function backed by a Swift closure. Throws ``LuaRegistrationError`` when
    /// `name` is not a Lua identifier, or is already a global (`print`, a library, an earlier
    /// registration) and `replacing` is false.
    public func register(_ name: String, replacing: Bool = false, _ body: @escaping LuaHostFunction) throws {
        try checkRegistration(global: name, module: nil, replacing: replacing)
        try setGlobal(name, function(named: name, body))
    }

    /// Makes `table` the module `name`, so `require(name)` returns it; with `global`, also sets the
    /// global variable `name`. A module's name is identifiers joined by dots (`acme.tags`); a global
    /// module's is one identifier. Throws ``LuaRegistrationError`` for any other name, or when the
    /// module (or, with `global`, the global) is already defined and `replacing` is false: `string`,
    /// `table` and the other libraries are defined from the start.
    public func registerModule(
        _ name: String, _ table: [String: LuaValue], global: Bool = false, replacing: Bool = false
    ) throws {
        try checkRegistration(global: global ? name : nil, module: name, replacing: replacing)
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
        _ name: String, functions: [String: LuaHostFunction], global: Bool = false, replacing: Bool = false
    ) throws {
        try checkRegistration(global: global ? name : nil, module: name, replacing: replacing)
        var table: [String: LuaValue] = [:]
        for (functionName, body) in functions {
            table[functionName] = function(named: "\(name).\(functionName)", body)
        }
        try registerModule(name, table, global: global, replacing: replacing)
    }

    /// Refuses a name scripts could not write, and one that would silently replace what is there.
    private func checkRegistration(global: String?, module: String?, replacing: Bool) throws {
        let name = global ?? module ?? ""
        let valid = global.map(LuaIdentifier.isValid) ?? module.map(LuaIdentifier.isValidModule) ?? false
        guard valid else { throw LuaRegistrationError(name: name, reason: .notAnIdentifier) }
        guard !replacing else { return }
        if let global, isDefined(global: global) {
            throw LuaRegistrationError(name: name, reason: .alreadyDefined)
        }
        if let module, isLoaded(module: module) {
            throw LuaRegistrationError(name: name, reason: .alreadyDefined)
        }
    }

    /// Whether the global `name` is set (raw, without converting its value).
    private func isDefined(global name: String) -> Bool {
        clua_pushglobaltable(lua)
        pushBytes(Array(name.utf8))
        let type = lua_rawget(lua, -2)
        clua_pop(lua, 2)
        return type != LUA_TNIL
    }

    /// Whether `require(name)` would find a module already loaded.
    private func isLoaded(module name: String) -> Bool {
        lua_getfield(lua, clua_registryindex(), LUA_LOADED_TABLE)
        pushBytes(Array(name.utf8))
        let type = lua_rawget(lua, -2)
        clua_pop(lua, 2)
        return type != LUA_TNIL
    }
}

import CLua54
import CLuaBridge

extension LuaState {
    /// Lets Lua hold objects of the Swift class `type` as userdata named `name`: `methods` are reached
    /// with `obj:method()`, `metamethods` (`__tostring`, `__len`, ...) are set on the metatable, and
    /// `__gc` releases the Swift object when Lua collects the userdata.
    public func registerType<T: AnyObject>(
        _ type: T.Type, name: String, methods: [String: LuaHostFunction],
        metamethods: [String: LuaHostFunction] = [:]
    ) {
        userdataTypeNames[ObjectIdentifier(type)] = name
        clb_push_object_metatable(lua, name)
        defer { clua_pop(lua, 1) }
        lua_createtable(lua, 0, Int32(clamping: methods.count))
        for (methodName, body) in methods {
            pushBytes(Array(methodName.utf8))
            pushFunction(named: methodName, isMethod: true, body)
            lua_rawset(lua, -3)
        }
        lua_setfield(lua, -2, "__index")
        for (metamethodName, body) in metamethods where metamethodName != "__gc" {
            pushBytes(Array(metamethodName.utf8))
            pushFunction(named: metamethodName, isMethod: false, body)
            lua_rawset(lua, -3)
        }
        // Scripts see a read-only copy: a script's own `__gc` on a host type would run where no limit
        // can stop it, and would keep the Swift object from being released.
        clb_protect_metatable(lua)
    }

    /// A userdata value holding `object`, whose class was registered with ``registerType(_:name:methods:metamethods:)``.
    public func userdata<T: AnyObject>(_ object: T) throws -> LuaValue {
        guard let name = userdataTypeNames[ObjectIdentifier(T.self)] else {
            throw LuaError(.conversion, "\(T.self) is not registered as a Lua userdata type")
        }
        clb_push_object(lua, Unmanaged<AnyObject>.passRetained(object).toOpaque(), name)
        return .userdata(popReference())
    }
}

extension LuaState {
    /// The Swift object held by a userdata value (one read from a table, say), or nil when `value` is
    /// not a userdata of the type `type` was registered as, or belongs to another state.
    public func object<T: AnyObject>(_ value: LuaValue, as type: T.Type) -> T? {
        guard case .userdata(let reference) = value, reference.owner === identity,
            let name = userdataTypeNames[ObjectIdentifier(type)], lua_checkstack(lua, 2) != 0
        else { return nil }
        // Raw registry access and luaL_testudata's metatable lookups cannot raise.
        lua_rawgeti(lua, clua_registryindex(), Int64(reference.slot))
        defer { clua_pop(lua, 1) }
        guard let pointer = clb_to_object(lua, -1, name) else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue() as? T
    }
}

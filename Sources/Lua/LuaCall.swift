import CLua54
import CLuaBridge

/// The arguments and results of one call of a host function. Arguments are read from the Lua stack
/// when asked for, so a call costs nothing for arguments it does not read. Positions are 1-based, as
/// in Lua. Valid only during the call.
public struct LuaCall {
    let lua: OpaquePointer
    unowned(unsafe) let function: HostFunction

    /// The state running the call.
    public var state: LuaState { function.state }
    /// The function's name as error messages show it.
    public var functionName: String { function.name }
    /// How many arguments Lua passed.
    public var argumentCount: Int { Int(lua_gettop(lua)) }

    // MARK: Arguments

    /// Lua's type name of argument `position` (`"no value"` past the last).
    public func typeName(_ position: Int) -> String {
        state.typeNameForMessage(at: Int32(position))
    }

    /// Whether argument `position` is nil or absent.
    public func isNil(_ position: Int) -> Bool {
        clua_isnoneornil(lua, Int32(position)) != 0
    }

    /// An integer argument (a float with an exact integer value or a numeric string is accepted, as
    /// `luaL_checkinteger` does).
    public func integer(_ position: Int) throws -> Int64 {
        var isNumber: Int32 = 0
        let value = lua_tointegerx(lua, Int32(position), &isNumber)
        if isNumber != 0 { return value }
        if lua_type(lua, Int32(position)) == LUA_TNUMBER {
            throw argumentError(position, "number has no integer representation")
        }
        throw typeError(position, expected: "number")
    }

    public func optionalInteger(_ position: Int) throws -> Int64? {
        isNil(position) ? nil : try integer(position)
    }

    /// A number argument (a numeric string is accepted, as `luaL_checknumber` does).
    public func number(_ position: Int) throws -> Double {
        var isNumber: Int32 = 0
        let value = lua_tonumberx(lua, Int32(position), &isNumber)
        if isNumber != 0 { return value }
        throw typeError(position, expected: "number")
    }

    /// A string argument as bytes (a number is accepted and converted, as `luaL_checkstring` does).
    public func bytes(_ position: Int) throws -> LuaString {
        let type = lua_type(lua, Int32(position))
        guard type == LUA_TSTRING || type == LUA_TNUMBER else {
            throw typeError(position, expected: "string")
        }
        // The copy is the host's, made for the script: it must fit in what the limit leaves.
        try state.checkHostMemory(
            Int(lua_rawlen(lua, Int32(position))), for: "a copy of argument #\(position)")
        return state.stringAt(Int32(position))
    }

    /// A string argument as text (invalid UTF-8 replaced).
    public func string(_ position: Int) throws -> String {
        try bytes(position).description
    }

    public func optionalString(_ position: Int) throws -> String? {
        isNil(position) ? nil : try string(position)
    }

    /// An argument's truthiness (any value is accepted, as `lua_toboolean`).
    public func boolean(_ position: Int) -> Bool {
        lua_toboolean(lua, Int32(position)) != 0
    }

    /// Any argument as a ``LuaValue`` (nil when absent).
    public func value(_ position: Int) throws -> LuaValue {
        try state.value(at: Int32(position))
    }

    /// A table argument, converted deeply.
    public func table(_ position: Int) throws -> LuaValue {
        guard lua_type(lua, Int32(position)) == LUA_TTABLE else {
            throw typeError(position, expected: "table")
        }
        return try state.value(at: Int32(position))
    }

    /// A function argument, kept as a reference that ``LuaState/call(_:_:)`` can call.
    public func function(_ position: Int) throws -> LuaValue {
        guard lua_type(lua, Int32(position)) == LUA_TFUNCTION else {
            throw typeError(position, expected: "function")
        }
        return try state.value(at: Int32(position))
    }

    /// An options table (absent or nil gives an empty one) whose keys must all be in `allowed`:
    /// `unknown option 'nmae' in sentinel.table (did you mean 'name'?)`.
    public func options(_ position: Int, allowed: [String]) throws -> [String: LuaValue] {
        if isNil(position) { return [:] }
        let table = try table(position)
        do {
            return try LuaOptions.check(table, allowed: allowed, in: function.name)
        } catch let error as LuaOptions.NotATableError {
            throw argumentError(position, error.problem)
        }
    }

    /// The Swift object of a userdata argument registered with ``LuaState/registerType(_:name:methods:metamethods:)``.
    public func object<T: AnyObject>(_ position: Int, as type: T.Type) throws -> T {
        guard let name = state.userdataTypeNames[ObjectIdentifier(type)] else {
            throw LuaError(.conversion, "\(type) is not registered as a Lua userdata type")
        }
        guard let pointer = clb_to_object(lua, Int32(position), name),
            let object = Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue() as? T
        else {
            throw typeError(position, expected: name)
        }
        return object
    }

    /// Whether argument `position` is a table, whatever its metatable says its name is.
    public func isTable(_ position: Int) -> Bool {
        lua_type(lua, Int32(position)) == LUA_TTABLE
    }

    /// Keeps the table argument at `position` in the registry as the metatable called `name`, for
    /// ``returning(_:metatable:)``: the table itself, not a copy, so its identity is kept.
    public func registerMetatable(_ position: Int, name: String) throws {
        guard isTable(position) else { throw typeError(position, expected: "table") }
        lua_pushvalue(lua, Int32(position))
        lua_setfield(lua, clua_registryindex(), name)
    }

    /// `file:line` of the field `key` in the caller's source, looked for from the call's line on (see
    /// `KeyLocator`): a typo inside a table constructor that spans lines is then reported on its own
    /// line. Nil when the caller's chunk is not a readable file or the key is not found.
    public func sourceLocation(ofField key: String) -> String? {
        KeyLocator.location(ofKey: key, level: 1, in: lua)
    }

    // MARK: Memory

    /// Reserves `bytes` of the state's memory limit for memory this call holds on the script's behalf
    /// (a converted item, a request body), until the call returns to Lua; throws the memory-limit
    /// error naming `what`, raised at the caller's line, when they do not fit. For memory held longer
    /// or shorter, use ``LuaState/reserveHostMemory(_:for:)``.
    public func reserveMemory(_ bytes: Int, for what: String) throws {
        let bytes = max(0, bytes)
        guard state.hasRoom(for: bytes), clb_reserve_memory(lua, bytes) != 0 else {
            throw state.hostMemoryRefusal(needed: bytes, for: what)
        }
        let (total, overflow) = state.hostCallReserved.addingReportingOverflow(bytes)
        state.hostCallReserved = overflow ? Int.max : total
    }

    // MARK: Errors in Lua's words

    /// `bad argument #N to 'name' (problem)`; for methods argument 1 is `self` and is not counted.
    public func argumentError(_ position: Int, _ problem: String) -> LuaArgumentError {
        if function.isMethod {
            if position == 1 {
                return LuaArgumentError(position: 0, function: function.name, problem: problem)
            }
            return LuaArgumentError(position: position - 1, function: function.name, problem: problem)
        }
        return LuaArgumentError(position: position, function: function.name, problem: problem)
    }

    /// `bad argument #N to 'name' (table expected, got nil)`.
    public func typeError(_ position: Int, expected: String) -> LuaArgumentError {
        argumentError(position, "\(expected) expected, got \(typeName(position))")
    }

    // MARK: Results

    /// No results.
    public func returning() -> LuaResults { LuaResults(count: 0) }

    public func returning(_ value: Int64) -> LuaResults {
        lua_pushinteger(lua, value)
        return LuaResults(count: 1)
    }

    public func returning(_ value: Double) -> LuaResults {
        lua_pushnumber(lua, value)
        return LuaResults(count: 1)
    }

    public func returning(_ value: Bool) -> LuaResults {
        lua_pushboolean(lua, value ? 1 : 0)
        return LuaResults(count: 1)
    }

    /// A string result. If the memory limit has no room for it, nothing is pushed and the call raises
    /// the memory-limit error instead of returning.
    public func returning(_ value: String) -> LuaResults {
        do {
            try state.checkHostMemory(25 + value.utf8.count, for: "the result of '\(function.name)'")
        } catch let error as LuaError {
            return LuaResults(count: 0, refusal: error)
        } catch {
            return LuaResults(count: 0, refusal: LuaError(.memory, String(describing: error)))
        }
        var value = value
        value.withUTF8 { bytes in
            if let start = bytes.baseAddress, !bytes.isEmpty {
                _ = start.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    lua_pushlstring(lua, $0, bytes.count)
                }
            } else {
                _ = lua_pushlstring(lua, "", 0)
            }
        }
        return LuaResults(count: 1)
    }

    /// Throws the memory-limit error unless `values` fit in what the limit leaves: results are checked
    /// before they are pushed, because while Swift pushes the allocator only counts.
    private func checkResultsFit(_ values: [LuaValue]) throws {
        try state.checkFootprint(of: values, for: "the result of '\(function.name)'")
    }

    public func returning(_ value: LuaValue) throws -> LuaResults {
        try returning(values: [value])
    }

    /// `value` with the metatable registered as `name` by ``registerMetatable(_:name:)``.
    public func returning(_ value: LuaValue, metatable name: String) throws -> LuaResults {
        guard lua_checkstack(lua, 3) != 0 else { throw LuaError(.conversion, "too many results") }
        try checkResultsFit([value])
        try state.push(value)
        lua_getfield(lua, clua_registryindex(), name)
        guard lua_type(lua, -1) == LUA_TTABLE else {
            clua_pop(lua, 2)
            throw LuaError(.conversion, "no metatable registered as '\(name)'")
        }
        if state.configuration.sandboxed {
            // The metatable is a script-visible table: a `__gc` a script added would make every value
            // returned with it run that finalizer where no limit reaches (see the sandbox's setmetatable).
            lua_pushstring(lua, "__gc")
            let finalizer = lua_rawget(lua, -2)
            clua_pop(lua, 1)
            guard finalizer == LUA_TNIL else {
                clua_pop(lua, 2)
                throw LuaError(
                    .conversion,
                    "metatable '\(name)' has a __gc field: finalizers are not available in scripts")
            }
        }
        lua_setmetatable(lua, -2)
        return LuaResults(count: 1)
    }

    /// Several results, in order.
    public func returning(values: [LuaValue]) throws -> LuaResults {
        guard lua_checkstack(lua, Int32(clamping: values.count + 3)) != 0 else {
            throw LuaError(.conversion, "too many results")
        }
        try checkResultsFit(values)
        for value in values {
            try state.push(value)
        }
        return LuaResults(count: Int32(values.count))
    }
}

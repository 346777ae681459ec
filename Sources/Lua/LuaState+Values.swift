import CLua54
import CLuaBridge

/// Registry key of the metatable that marks an empty table as an array.
let arrayMarkerMetatable = "lua.array"
/// Nesting beyond this is refused rather than risking the C stack.
let maximumNestingDepth = 200
/// The most one value read from Lua may take in Swift when the state has no memory limit (see
/// `Conversion`).
let maximumConversionBytes = 512 << 20

extension LuaState {
    // MARK: Swift to Lua

    /// Pushes `value`. Never raises: allocation cannot fail with a Lua error while Swift runs (see
    /// CLuaBridge.h); throws only for a reference that belongs to another state or nesting too deep.
    func push(_ value: LuaValue) throws {
        try balanced { try push(value, depth: 0) }
    }

    private func push(_ value: LuaValue, depth: Int) throws {
        guard lua_checkstack(lua, 3) != 0, depth <= maximumNestingDepth else {
            throw LuaError(.conversion, "value nested too deeply to pass to Lua")
        }
        switch value {
        case .nil: lua_pushnil(lua)
        case .boolean(let flag): lua_pushboolean(lua, flag ? 1 : 0)
        case .integer(let integer): lua_pushinteger(lua, integer)
        case .number(let number): lua_pushnumber(lua, number)
        case .string(let string): pushBytes(string.bytes)
        case .array(let elements):
            lua_createtable(lua, Int32(clamping: elements.count), 0)
            for (offset, element) in elements.enumerated() {
                try push(element, depth: depth + 1)
                lua_rawseti(lua, -2, Int64(offset + 1))
            }
            if elements.isEmpty {
                luaL_setmetatable(lua, arrayMarkerMetatable)
            }
        case .map(let entries):
            lua_createtable(lua, 0, Int32(clamping: entries.count))
            for (key, element) in entries where key != .nil {
                if case .number(let number) = key, number.isNaN { continue }
                try push(key, depth: depth + 1)
                try push(element, depth: depth + 1)
                lua_rawset(lua, -3)
            }
        case .function(let reference), .userdata(let reference), .thread(let reference):
            try pushReference(reference)
        }
    }

    func pushBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            if let start = buffer.baseAddress, !buffer.isEmpty {
                _ = lua_pushlstring(lua, start.assumingMemoryBound(to: CChar.self), buffer.count)
            } else {
                _ = lua_pushlstring(lua, "", 0)
            }
        }
    }

    func pushReference(_ reference: LuaReference) throws {
        guard reference.owner === identity else {
            throw LuaError(.conversion, "a Lua value from another state cannot be used here")
        }
        lua_rawgeti(lua, clua_registryindex(), Int64(reference.slot))
    }

    /// Pops the value on top of the stack into the registry.
    func popReference() -> LuaReference {
        LuaReference(slot: luaL_ref(lua, clua_registryindex()), owner: identity)
    }

    // MARK: Lua to Swift

    /// The value at `index` (tables converted deeply, read raw so no metamethod runs).
    func value(at index: Int32) throws -> LuaValue {
        // The copy may take what is left of the memory limit (Lua's allocations and the host's
        // reservations share it), or a fixed ceiling without a limit.
        let absolute = lua_absindex(lua, index)
        var available = memoryAvailable
        var collected = false
        while true {
            var conversion = Conversion(budget: available ?? maximumConversionBytes)
            do {
                return try balanced { try value(at: absolute, conversion: &conversion) }
            } catch let over as Conversion.OverBudget {
                // Lua's count includes garbage: collect it once and try again before refusing, as
                // Lua's own allocations do.
                if available != nil, !collected, hasRoom(for: over.needed) {
                    collected = true
                    available = memoryAvailable
                    continue
                }
                try refuseConversion(over, limited: available != nil)
            }
        }
    }

    private func refuseConversion(_ over: Conversion.OverBudget, limited: Bool) throws -> Never {
        guard limited else {
            throw LuaError(
                .conversion,
                "value too large to pass to Swift (over \(maximumConversionBytes >> 20) MB once every "
                    + "shared table and string is counted at each place it appears)")
        }
        throw hostMemoryRefusal(
            needed: over.needed,
            for: "a value passed to Swift (each shared table and string counted where it appears)")
    }

    /// One conversion's state: the tables being read (to find cycles) and what it may still copy.
    private struct Conversion {
        /// Thrown when the copy would pass the budget; `needed` is what it had taken by then.
        struct OverBudget: Error {
            let needed: Int
        }

        var path: [UnsafeRawPointer] = []
        /// Bytes the Swift copy may still take, counting each value as 64 bytes plus a string's length.
        /// Lua shares tables and strings, Swift copies them: a table that holds the same table twice, 30
        /// levels deep, is a few hundred bytes in Lua and 2^30 values here. The budget turns that into
        /// an error rather than a hang that takes the machine's memory past any Lua memory limit.
        let limit: Int
        var budget: Int

        init(budget: Int) {
            limit = budget
            self.budget = budget
        }

        mutating func spend(_ bytes: Int) throws {
            // Counted before the copy is made, so a refused string is never copied.
            let (left, overflow) = budget.subtractingReportingOverflow(64 + bytes)
            guard !overflow, left >= 0 else {
                throw OverBudget(needed: limit - budget + 64 + min(bytes, Int.max - 64 - limit))
            }
            budget = left
        }
    }

    private func value(at index: Int32, conversion: inout Conversion) throws -> LuaValue {
        switch lua_type(lua, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(lua, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(lua, index) != 0 { return .integer(clua_tointeger(lua, index)) }
            return .number(clua_tonumber(lua, index))
        case LUA_TSTRING:
            try conversion.spend(Int(lua_rawlen(lua, index)))
            return .string(stringAt(index))
        case LUA_TTABLE:
            try conversion.spend(0)
            return try table(at: index, conversion: &conversion)
        case LUA_TFUNCTION: return .function(referenceTo(index))
        case LUA_TTHREAD: return .thread(referenceTo(index))
        default: return .userdata(referenceTo(index))
        }
    }

    private func referenceTo(_ index: Int32) -> LuaReference {
        lua_pushvalue(lua, index)
        return popReference()
    }

    func stringAt(_ index: Int32) -> LuaString {
        var length = 0
        guard let chars = lua_tolstring(lua, index, &length) else { return LuaString(bytes: []) }
        return chars.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            LuaString(bytes: Array(UnsafeBufferPointer(start: bytes, count: length)))
        }
    }

    private func table(at index: Int32, conversion: inout Conversion) throws -> LuaValue {
        guard let identity = lua_topointer(lua, index) else { return .map([:]) }
        if conversion.path.contains(identity) {
            throw LuaError(.conversion, "table contains a reference to itself (a cycle)")
        }
        guard conversion.path.count < maximumNestingDepth, lua_checkstack(lua, 4) != 0 else {
            throw LuaError(.conversion, "table nested more than \(maximumNestingDepth) levels deep")
        }
        conversion.path.append(identity)
        defer { conversion.path.removeLast() }

        var entries: [LuaValue: LuaValue] = [:]
        var isSequence = true
        lua_pushnil(lua)
        while lua_next(lua, index) != 0 {
            // A number key converted in place would confuse lua_next: read keys without converting.
            let key = try value(at: lua_absindex(lua, -2), conversion: &conversion)
            let element = try value(at: lua_absindex(lua, -1), conversion: &conversion)
            clua_pop(lua, 1)
            if case .integer(let position) = key, position >= 1 {
                // may still be a sequence
            } else {
                isSequence = false
            }
            entries[key] = element
        }
        if entries.isEmpty {
            return hasArrayMarker(at: index) ? .array([]) : .map([:])
        }
        if isSequence, let elements = sequence(of: entries) {
            return .array(elements)
        }
        return .map(entries)
    }

    /// The elements when the keys are exactly 1...n.
    private func sequence(of entries: [LuaValue: LuaValue]) -> [LuaValue]? {
        var elements: [LuaValue] = []
        elements.reserveCapacity(entries.count)
        for position in 1...entries.count {
            guard let element = entries[.integer(Int64(position))] else { return nil }
            elements.append(element)
        }
        return elements
    }

    private func hasArrayMarker(at index: Int32) -> Bool {
        guard lua_getmetatable(lua, index) != 0 else { return false }
        _ = clua_getmetatable(lua, arrayMarkerMetatable)
        defer { clua_pop(lua, 2) }
        return lua_rawequal(lua, -1, -2) != 0
    }

    /// The name of the type at `index` for messages: `__name` of its metatable if it has a string one.
    func typeNameForMessage(at index: Int32) -> String {
        let nameType = luaL_getmetafield(lua, index, "__name")
        if nameType != LUA_TNIL {
            defer { clua_pop(lua, 1) }
            if nameType == LUA_TSTRING { return stringAt(-1).description }
        }
        if lua_type(lua, index) == LUA_TLIGHTUSERDATA {
            return "light userdata"
        }
        if lua_type(lua, index) == LUA_TNONE { return "no value" }
        return String(cString: clua_typename(lua, index))
    }
}

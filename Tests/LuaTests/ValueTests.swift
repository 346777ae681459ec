import Lua
import Testing

@Suite struct ValueTests {
    /// Passes `value` into Lua and back out unchanged by Lua.
    private func roundTrip(_ value: LuaValue, in state: LuaState) throws -> LuaValue {
        try state.call(try state.run("return function(...) return ... end")[0], [value]).first ?? .nil
    }

    @Test func integersStayIntegers() throws {
        let state = try LuaState()
        for value: Int64 in [0, 1, -1, Int64.max, Int64.min, 1 << 53 + 1] {
            #expect(try roundTrip(.integer(value), in: state) == .integer(value))
        }
        #expect(
            try state.run("return 9223372036854775807, math.type(9223372036854775807)") == [
                .integer(Int64.max), .text("integer"),
            ])
        #expect(try state.run("return 2^63") == [.number(9_223_372_036_854_775_808.0)])
    }

    @Test func floatsKeepSignAndNaN() throws {
        let state = try LuaState()
        guard case .number(let negativeZero) = try roundTrip(.number(-0.0), in: state) else {
            Issue.record("-0.0 did not come back as a float")
            return
        }
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
        guard case .number(let nan) = try roundTrip(.number(.nan), in: state) else {
            Issue.record("NaN did not come back as a float")
            return
        }
        #expect(nan.isNaN)
        #expect(
            try state.run("return 1/0, -1/0, 0.1") == [.number(.infinity), .number(-.infinity), .number(0.1)])
        #expect(
            try state.call(state.run("return function(x) return math.type(x) end")[0], [.number(3.0)]) == [
                .text("float")
            ])
    }

    @Test func stringsAreBytesWithNULs() throws {
        let state = try LuaState()
        let bytes: [UInt8] = [0x61, 0x00, 0x62, 0xFF, 0x00]
        let back = try roundTrip(.string(LuaString(bytes: bytes)), in: state)
        #expect(back == .string(LuaString(bytes: bytes)))
        #expect(
            try state.call(
                state.run("return function(s) return #s end")[0], [.string(LuaString(bytes: bytes))]) == [
                    .integer(5)
                ])
        #expect(try state.run("return 'a\\0b'") == [.string(LuaString(bytes: [0x61, 0, 0x62]))])
        #expect(LuaString(bytes: [0xFF]).text == nil)
        #expect(try roundTrip("héllo ✓", in: state).stringValue == "héllo ✓")
    }

    @Test func arraysAndMapsStayDistinct() throws {
        let state = try LuaState()
        #expect(try state.run("return {1, 2, 3}") == [.array([1, 2, 3])])
        #expect(try state.run("return {[1] = 'a', [3] = 'c'}") == [.map([1: "a", 3: "c"])])
        #expect(try state.run("return {a = 1, [2] = true}") == [.map(["a": 1, 2: true])])
        #expect(try state.run("return {[0] = 'zero', 'one'}") == [.map([0: "zero", 1: "one"])])
        #expect(try state.run("return {}") == [.map([:])])
        // An empty array pushed from Swift comes back as an array, an empty map as a map.
        #expect(try roundTrip(.array([]), in: state) == .array([]))
        #expect(try roundTrip(.map([:]), in: state) == .map([:]))
        #expect(
            try state.call(state.run("return function(t) return #t, next(t) end")[0], [.array([])]) == [
                .integer(0), .nil,
            ])
    }

    @Test func nestedTablesRoundTrip() throws {
        let state = try LuaState()
        let value: LuaValue = [
            "name": "sessions",
            "gsis": [["name": "gsi-status", "keys": ["status", "created_at"]], ["name": "gsi-user"]],
            "deep": ["a": ["b": ["c": [1.5, -2, true, .nil]]]],
            "flag": false,
        ]
        // A trailing nil cannot live in a Lua sequence: it comes back shorter.
        let expected: LuaValue = [
            "name": "sessions",
            "gsis": [["name": "gsi-status", "keys": ["status", "created_at"]], ["name": "gsi-user"]],
            "deep": ["a": ["b": ["c": [1.5, -2, true]]]],
            "flag": false,
        ]
        #expect(try roundTrip(value, in: state) == expected)
        #expect(try roundTrip(value, in: state)["gsis"].arrayValue?.count == 2)
    }

    @Test func cyclesAndDeepNestingAreErrorsNotCrashes() throws {
        let state = try LuaState()
        let cycle = luaError { try state.run("local t = {} t.self = t return t") }
        #expect(cycle?.kind == .conversion)
        #expect(cycle?.message.contains("cycle") == true)
        let deep = luaError { try state.run("local t = {} for i = 1, 1000 do t = {t} end return t") }
        #expect(deep?.kind == .conversion)
        // Shared (not cyclic) subtables are fine.
        #expect(try state.run("local s = {1} return {s, s}") == [.array([[1], [1]])])
    }

    /// Found by fuzzing: one table shared at every level is small in Lua and doubles in a copy with each
    /// level, so reading it once hung and took all the machine's memory, past any Lua memory limit.
    @Test func aValueWhoseCopyWouldExplodeIsAnErrorNotAHang() throws {
        // With a memory limit, a copy may take what the limit leaves: past it, a memory error (without
        // a limit, 512 MB and a conversion error).
        let state = try LuaState(LuaConfiguration(limits: LuaLimits(memoryBytes: 4 << 20)))
        let shared = luaError {
            try state.run("local t = {} for i = 1, 60 do t = { a = t, b = t } end return t")
        }
        #expect(shared?.kind == .memory)
        #expect(shared?.message.contains("memory limit of 4 MB exceeded (a value passed to Swift") == true)
        let unlimited = try LuaState(LuaConfiguration(limits: .none))
        let tooLarge = luaError {
            try unlimited.run("local t = {} for i = 1, 60 do t = { a = t, b = t } end return t")
        }
        #expect(tooLarge?.kind == .conversion)
        #expect(tooLarge?.message.contains("too large") == true)
        // The same for one string repeated: 1 MB in Lua, a gigabyte and more copied.
        let strings = luaError {
            try state.run(
                "local s = string.rep('x', 1 << 20) local t = {} for i = 1, 1024 do t[i] = s end return t")
        }
        #expect(strings?.kind == .memory)
    }

    @Test func functionsAndUserdataAreReferences() throws {
        let state = try LuaState()
        let results = try state.run("return function(x) return x + 1 end, coroutine.create(print), io.write")
        guard case .function = results[0], case .thread = results[1], case .function = results[2] else {
            Issue.record("unexpected \(results)")
            return
        }
        #expect(try state.call(results[0], [41]) == [.integer(42)])
        let other = try LuaState()
        #expect(luaError { try other.call(results[0], [1]) }?.kind == .conversion)
    }
}

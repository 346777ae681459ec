import Lua
import Testing

/// One memory budget: what the host allocates for a script counts against the same limit as Lua's own
/// allocations, from the main chunk and from a coroutine alike.
@Suite struct HostMemoryTests {
    private func state(megabytes: Int) throws -> LuaState {
        try LuaState(LuaConfiguration(limits: LuaLimits(memoryBytes: megabytes << 20)))
    }

    /// The script runs `body` as it is and inside a coroutine (a coroutine has its own `lua_State`).
    private static func plainAndInCoroutine(_ body: String) -> [String] {
        [body, "return coroutine.wrap(function() \(body) end)()"]
    }

    /// Issue 34's reproduction: a host function returning 100 MB under a 32 MB limit.
    @Test(arguments: plainAndInCoroutine("return #big()"))
    func aHostResultLargerThanTheBudgetIsAMemoryError(script: String) throws {
        let state = try state(megabytes: 32)
        try state.register("big") { call in
            call.returning(String(repeating: "x", count: 100 << 20))
        }
        let before = state.memoryInUse
        let error = luaError { try state.run(script, name: "big.lua") }
        #expect(error?.kind == .memory)
        #expect(
            error?.message.contains("memory limit of 32 MB exceeded (the result of 'big' needs 100.0 MB")
                == true)
        #expect(error?.message.hasPrefix("big.lua:1:") == true)
        // Nothing was pushed: Lua's memory stayed under the cap.
        #expect(state.memoryInUse < 32 << 20)
        #expect(state.memoryInUse < before + (1 << 20))
        // The state goes on.
        #expect(try state.run("return 40 + 2") == [.integer(42)])
    }

    /// The same for a table result returned as a `LuaValue`, caught by pcall like Lua's own refusals.
    @Test(arguments: plainAndInCoroutine("local ok, err = pcall(big) return ok, err"))
    func aHostTableResultIsCheckedAndCatchable(script: String) throws {
        let state = try state(megabytes: 8)
        try state.register("big") { call in
            try call.returning(.array((1...100).map { _ in .text(String(repeating: "y", count: 100_000)) }))
        }
        let results = try state.run(script, name: "table.lua")
        #expect(results.first == .boolean(false))
        #expect(
            results.last?.stringValue?.contains("memory limit of 8 MB exceeded (the result of 'big'") == true)
    }

    /// Issue 27's reproduction: one 20 MB string held ten times is 20 MB in Lua and 200 MB as a Swift
    /// copy; under a 64 MB limit the copy is refused before it passes what the limit leaves.
    @Test(
        arguments: plainAndInCoroutine(
            "local s = string.rep('x', 20 << 20) local t = {} for i = 1, 10 do t[i] = s end return take(t)"))
    func convertingASharedStringTenTimesIsAMemoryError(script: String) throws {
        let state = try state(megabytes: 64)
        try state.register("take") { call in
            _ = try call.table(1)
            return call.returning(true)
        }
        let error = luaError { try state.run(script, name: "shared.lua") }
        #expect(error?.kind == .memory)
        #expect(error?.message.contains("memory limit of 64 MB exceeded (a value passed to Swift") == true)
        #expect(error?.message.hasPrefix("shared.lua:1:") == true)
    }

    /// A string argument copied into Swift must fit in what is left too.
    @Test(
        arguments: plainAndInCoroutine(
            "local s = string.rep('x', 20 << 20) collectgarbage() return take(s, s)"))
    func aStringArgumentCopyCountsAgainstTheBudget(script: String) throws {
        let state = try state(megabytes: 48)
        try state.register("take") { call in
            // The second copy does not fit while the first is reserved.
            let first = try call.bytes(1)
            let held = try call.state.reserveHostMemory(first.bytes.count, for: "the first copy")
            defer { held.release() }
            _ = try call.bytes(2)
            return call.returning(true)
        }
        let error = luaError { try state.run(script, name: "args.lua") }
        #expect(error?.kind == .memory)
        #expect(error?.message.contains("(a copy of argument #2 needs 20 MB") == true)
    }

    /// Reservations are counted by Lua's allocator: while the host holds most of the limit, Lua itself
    /// cannot allocate it, and once released it can.
    @Test func luaAndTheHostShareOneBudget() throws {
        let state = try state(megabytes: 16)
        let held = try state.reserveHostMemory(12 << 20, for: "a request body")
        #expect(state.hostMemoryReserved == 12 << 20)
        let error = luaError { try state.run("return #string.rep('x', 4 << 20)") }
        #expect(error?.kind == .memory)
        // A second reservation past the limit is refused, naming what asked.
        let refused = luaError { try state.reserveHostMemory(8 << 20, for: "a file buffer") }
        #expect(refused?.kind == .memory)
        #expect(
            refused?.message.hasPrefix("memory limit of 16 MB exceeded (a file buffer needs 8 MB,") == true)
        held.release()
        held.release()
        #expect(state.hostMemoryReserved == 0)
        #expect(try state.run("return #string.rep('x', 4 << 20)") == [.integer(4 << 20)])
        // withHostMemory releases when its body returns, and negative sizes count as nothing.
        try state.withHostMemory(4 << 20, for: "a page") {
            #expect(state.hostMemoryReserved == 4 << 20)
        }
        #expect(state.hostMemoryReserved == 0)
        _ = try state.reserveHostMemory(-5, for: "nothing")
        #expect(state.hostMemoryReserved == 0)
    }

    /// Dropping a reservation gives its bytes back.
    @Test func aDroppedReservationIsReleased() throws {
        let state = try state(megabytes: 16)
        do {
            _ = try state.reserveHostMemory(10 << 20, for: "a buffer")
        }
        #expect(state.hostMemoryReserved == 0)
        #expect(state.memoryAvailable ?? 0 > 10 << 20)
    }

    /// Without a limit (asked for by name: a state has 256 MB by default) nothing is refused.
    @Test func withoutALimitNothingIsRefused() throws {
        let state = try LuaState(LuaConfiguration(limits: .none))
        #expect(state.memoryAvailable == nil)
        let held = try state.reserveHostMemory(1 << 40, for: "much")
        held.release()
        try state.register("big") { call in call.returning(String(repeating: "x", count: 1 << 20)) }
        #expect(try state.run("return #big()") == [.integer(1 << 20)])
    }
}

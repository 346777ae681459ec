import Lua
import Testing

/// The budget as work on other threads uses it (`HostMemoryAccount`): reservations made from many
/// threads at once take exactly what the limit leaves, never more, and give it all back; Lua then sees
/// what they hold; a refusal reads as Lua's own.
@Suite struct HostMemoryAccountTests {
    private static let chunk = 64 << 10

    @Test func manyThreadsTakeExactlyWhatTheLimitLeavesAndGiveItAllBack() async throws {
        let state = try LuaState(LuaConfiguration(limits: LuaLimits(memoryBytes: 8 << 20)))
        let account = state.memoryAccount
        let available = try #require(account.available)
        // Eight tasks take chunks until refused, holding what they got: one compare-and-swap per
        // reservation means no two can both take the last bytes.
        let granted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var held = 0
                    while account.take(Self.chunk) { held += Self.chunk }
                    return held
                }
            }
            return await group.reduce(0, +)
        }
        #expect(granted == available / Self.chunk * Self.chunk)
        #expect(state.hostMemoryReserved == granted)
        // What the threads hold is what Lua lacks: a string of what is left fails, then fits once given back.
        let error = luaError { try state.run("return #string.rep('x', \(Self.chunk * 2))") }
        #expect(error?.kind == .memory)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<(granted / Self.chunk) { group.addTask { account.give(Self.chunk) } }
        }
        #expect(state.hostMemoryReserved == 0)
        #expect(
            try state.run("return #string.rep('x', \(Self.chunk * 2))") == [.integer(Int64(Self.chunk * 2))])
    }

    @Test func aRefusalIsWordedAsLuasOwnAndEndsTheRunAsAMemoryError() throws {
        let state = try LuaState(LuaConfiguration(limits: LuaLimits(memoryBytes: 4 << 20)))
        let account = state.memoryAccount
        #expect(!account.take(5 << 20))
        let message = account.refusal(needing: 5 << 20, for: "reading items.json", holding: 1 << 20)
        #expect(message.hasPrefix("memory limit of 4 MB exceeded (reading items.json needs 5 MB, "))
        try state.register("stream") { call in throw call.state.hostMemoryError(message) }
        for script in ["stream()", "coroutine.wrap(function() stream() end)()"] {
            let error = luaError { try state.run(script, name: "job.lua") }
            #expect(error?.kind == .memory, "\(script)")
            #expect(error?.message.hasPrefix("job.lua:1:") == true, "\(error?.message ?? "")")
        }
    }

    @Test func withoutALimitEverythingIsGrantedAndStillCounted() throws {
        let state = try LuaState(LuaConfiguration(limits: .none))
        let account = state.memoryAccount
        #expect(account.limit == nil)
        #expect(account.available == nil)
        #expect(account.take(1 << 40))
        #expect(state.hostMemoryReserved == 1 << 40)
        account.give(1 << 40)
        #expect(state.hostMemoryReserved == 0)
    }
}

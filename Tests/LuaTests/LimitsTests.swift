import Foundation
import Lua
import Testing

@Suite struct LimitsTests {
    private func cappedState(megabytes: Int = 8) throws -> LuaState {
        try LuaState(LuaConfiguration(limits: LuaLimits(memoryBytes: megabytes * 1_048_576)))
    }

    @Test func stringGrowthHitsTheMemoryCap() throws {
        let state = try cappedState()
        let error = luaError {
            try state.run("local s = 'x' while true do s = s .. s end", name: "bomb.lua")
        }
        #expect(error?.kind == .memory)
        #expect(error?.message.contains("memory limit of 8 MB exceeded") == true)
        #expect(try state.run("return #string.rep('y', 1000)") == [.integer(1000)])
    }

    @Test func stringRepHitsTheMemoryCap() throws {
        let state = try cappedState()
        let error = luaError { try state.run("return string.rep('x', 64 * 1024 * 1024)") }
        #expect(error?.kind == .memory)
        #expect(try state.run("return 40 + 2") == [.integer(42)])
    }

    @Test func tableGrowthHitsTheMemoryCapAndIsCatchable() throws {
        let state = try cappedState()
        let results = try state.run(
            """
            local ok, err = pcall(function()
              local t = {}
              for i = 1, math.maxinteger do t[i] = { i, tostring(i) } end
            end)
            return ok, err
            """)
        #expect(results == [.boolean(false), .text("not enough memory")])
        state.collectGarbage()
        #expect(state.memoryInUse < 8 * 1_048_576)
        #expect(try state.run("local t = {} for i = 1, 1000 do t[i] = i end return #t") == [.integer(1000)])
    }

    @Test func instructionLimitStopsInfiniteLoop() throws {
        let state = try LuaState(LuaConfiguration(limits: LuaLimits(instructions: 1_000_000)))
        let error = luaError { try state.run("while true do end", name: "spin.lua") }
        #expect(error?.kind == .instructionLimit)
        #expect(error?.message == "spin.lua:1: instruction limit of 1000000 exceeded")
        // The budget is per run: the next run starts afresh.
        #expect(try state.run("local n = 0 for i = 1, 1000 do n = n + i end return n") == [.integer(500_500)])
    }

    @Test func pcallCannotSwallowTheStop() throws {
        let state = try LuaState(LuaConfiguration(limits: LuaLimits(instructions: 100_000)))
        let error = luaError {
            try state.run(
                """
                local caught = 0
                while true do
                  pcall(function() while true do end end)
                  caught = caught + 1
                end
                """, name: "sneaky.lua")
        }
        #expect(error?.kind == .instructionLimit)
        let viaCoroutine = luaError {
            try state.run(
                "local co = coroutine.wrap(function() while true do end end) pcall(co) while true do end",
                name: "co.lua")
        }
        #expect(viaCoroutine?.kind == .instructionLimit)
        #expect(try state.run("return 'alive'") == [.text("alive")])
    }

    @Test func timeLimitStopsInfiniteLoopUnderPcall() throws {
        let state = try LuaState(LuaConfiguration(limits: LuaLimits(time: .milliseconds(200))))
        let error = luaError {
            try state.run("for i = 1, 3 do pcall(function() while true do end end) end", name: "slow.lua")
        }
        #expect(error?.kind == .timeLimit)
        #expect(error?.message == "slow.lua:1: time limit of 0.2 s exceeded")
        #expect(try state.run("return 1") == [.integer(1)])
    }

    @Test func interruptHandleStopsARunFromAnotherThread() throws {
        let state = try LuaState()
        interrupt(state.interruptHandle, afterMilliseconds: 200)
        let error = luaError { try state.run("while true do end", name: "wait.lua") }
        #expect(error?.kind == .interrupted)
        #expect(error?.message == "wait.lua:1: interrupted!")
        #expect(try state.run("return 2") == [.integer(2)])
    }

    @Test func hostFunctionsCanSeeTheStop() throws {
        let state = try LuaState(LuaConfiguration(limits: LuaLimits(time: .milliseconds(100))))
        try state.register("wait") { call in
            while !call.state.shouldStop { usleep(1000) }
            throw LuaError(.timeLimit, "stopped while waiting")
        }
        let error = luaError { try state.run("wait()", name: "w.lua") }
        #expect(error?.kind == .timeLimit)
    }
}

import Foundation
import Lua
import Testing

/// Stops that hold whatever the script does: in C code the hook cannot see (pattern matching), behind
/// `pcall` in any coroutine, after a host function gave up waiting, and interrupts that arrive while
/// no script runs.
@Suite struct StopTests {
    private func timed(_ seconds: Double) throws -> LuaState {
        try LuaState(LuaConfiguration(limits: LuaLimits(time: .milliseconds(Int64(seconds * 1000)))))
    }

    /// `wait()` stands for a host function that waits for AWS: it loops until the run must stop and
    /// then gives up with the stop, as `sentinel.apply` and `sentinel.db` do.
    private func withWaitingFunction(_ state: LuaState) throws -> LuaState {
        try state.register("wait") { call in
            while true {
                try call.state.stopIfRequested()
                usleep(5_000)
            }
        }
        return state
    }

    @Test func backtrackingPatternsStopAtTheTimeLimit() throws {
        let state = try timed(0.3)
        for expression in [
            #"string.find(("a"):rep(22), ("a*"):rep(22) .. "b")"#,
            #"string.match(("a"):rep(30), ("a-"):rep(30) .. "b")"#,
            #"string.gsub(("a"):rep(25), ("a*"):rep(25) .. "b", "x")"#,
            #"(function() for m in ("a"):rep(25):gmatch(("a*"):rep(25) .. "b") do end end)()"#,
        ] {
            let error = luaError { try state.run("return \(expression)", name: "pattern.lua") }
            #expect(error?.kind == .timeLimit, "\(expression)")
            #expect(
                error?.message.hasPrefix("pattern.lua:1: time limit of 0.3 s exceeded") == true,
                "\(expression)")
        }
        #expect(try state.run("return ('key=value'):match('(%w+)=(%w+)')") == [.text("key"), .text("value")])
    }

    @Test func anInterruptStopsPatternMatchingWithoutLimits() throws {
        let state = try LuaState()
        interrupt(state.interruptHandle, afterMilliseconds: 200)
        let error = luaError { try state.run(#"return string.find(("a"):rep(22), ("a*"):rep(22) .. "b")"#) }
        #expect(error?.kind == .interrupted)
    }

    @Test func aStopFromAWaitingHostFunctionCannotBeCaught() throws {
        for script in [
            "pcall(wait) return 'done'",
            "xpcall(wait, debug.traceback) return 'done'",
            "coroutine.wrap(function() pcall(wait) end)() return 'done'",
            "coroutine.resume(coroutine.create(function() wait() end)) return 'done'",
            "pcall(coroutine.wrap(function() wait() end)) return 'done'",
            "local co = coroutine.wrap(function() pcall(wait) coroutine.yield(1) end) pcall(co) return 'done'",
            "for i = 1, 3 do pcall(wait) end return 'done'",
        ] {
            let state = try withWaitingFunction(try timed(0.2))
            let error = luaError { try state.run(script, name: "stuck.lua") }
            #expect(error?.kind == .timeLimit, "\(script)")
            #expect(
                error?.message.contains("time limit of 0.2 s exceeded") == true,
                "\(script): \(String(describing: error))")
            // The next run starts afresh.
            #expect(try state.run("return 1") == [.integer(1)])
        }
    }

    @Test func aCaughtStopInsideACoroutineStopsTheRun() throws {
        let state = try LuaState(LuaConfiguration(limits: LuaLimits(instructions: 200_000)))
        let error = luaError {
            try state.run(
                """
                local caught = 0
                while true do
                  local ok = coroutine.resume(coroutine.create(function()
                    pcall(function() while true do end end)
                  end))
                  caught = caught + 1
                end
                """, name: "spin.lua")
        }
        #expect(error?.kind == .instructionLimit)
    }

    @Test func interruptsReachCoroutinesWithoutLimits() throws {
        let state = try LuaState()
        interrupt(state.interruptHandle, afterMilliseconds: 200)
        let error = luaError {
            try state.run(
                "coroutine.wrap(function() local x = 0 while true do x = x + 1 end end)()", name: "co.lua")
        }
        #expect(error?.kind == .interrupted)
        // coroutine.wrap adds the caller's position to errors it passes on, as in Lua.
        #expect(error?.message.hasPrefix("co.lua:1:") == true)
        #expect(error?.message.hasSuffix("interrupted!") == true)
    }

    @Test func anInterruptBetweenRunsStopsTheNextRun() throws {
        let state = try LuaState()
        _ = try state.run("return 1")
        state.interruptHandle.interrupt()
        let error = luaError { try state.run("return 2") }
        #expect(error?.kind == .interrupted)
        // Consumed by the run it stopped: the one after goes on.
        #expect(try state.run("return 3") == [.integer(3)])
    }

    @Test func hostFunctionsRefuseToRunAfterAStop() throws {
        let state = try LuaState(LuaConfiguration(limits: LuaLimits(time: .milliseconds(100))))
        let calls = Counter()
        try state.register("count") { call in
            calls.value += 1
            return call.returning()
        }
        let error = luaError {
            try state.run(
                "local t = os.clock() while os.clock() - t < 0.3 do end",
                name: "late.lua")
        }
        #expect(error?.kind == .timeLimit)
        // A handler that catches the stop and then calls the host never reaches it.
        let caught = luaError {
            try state.run(
                """
                pcall(function() local t = os.clock() while true do end end)
                count()
                """, name: "late.lua")
        }
        #expect(caught?.kind == .timeLimit)
        #expect(calls.value == 0)
    }

    @Test func aStopReportsTheLimitMessageAtTheCallersLine() throws {
        let state = try withWaitingFunction(try timed(0.2))
        let error = luaError { try state.run("local x = 1\nwait()", name: "line.lua") }
        #expect(error?.message == "line.lua:2: time limit of 0.2 s exceeded")
    }

    private final class Counter {
        var value = 0
    }
}

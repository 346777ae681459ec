import Testing

@testable import Lua

/// Every public `LuaState` API leaves the stack as it found it when it throws: a long-lived host that
/// keeps failing (a REPL, a server embedding scripts) must not grow its stack until Lua runs out.
@Suite struct StackDisciplineTests {
    static let repetitions = 100_000

    private func expectBalanced(
        _ state: LuaState, _ what: String, repetitions: Int = repetitions, _ body: () throws -> Void
    ) {
        let before = state.stackDepth
        var failures = 0
        for _ in 0..<repetitions {
            do { try body() } catch { failures += 1 }
        }
        #expect(failures == repetitions, "\(what) should fail every time")
        #expect(state.stackDepth == before, "\(what) left \(state.stackDepth - before) values on the stack")
    }

    @Test func failedConversionsLeaveNothingBehind() throws {
        let state = try LuaState()
        let other = try LuaState()
        let foreign = try other.run("return function() end")[0]
        try state.run(
            """
            CYCLE = { a = { b = {} } }
            CYCLE.a.b.c = CYCLE
            DEEP = {}
            local t = DEEP
            for i = 1, 300 do t.next = {} t = t.next end
            function RETURNS_CYCLE() return 1, CYCLE end
            """)
        expectBalanced(state, "global of a cycle") { _ = try state.global("CYCLE") }
        // Each of these converts 200 levels before failing (4 ms in a debug build): fewer repetitions
        // still show any leak, which would be 400 values a time.
        expectBalanced(state, "global nested too deep", repetitions: 2_000) { _ = try state.global("DEEP") }
        expectBalanced(state, "setGlobal of a foreign value") {
            try state.setGlobal("x", .map([.text("f"): .array([.integer(1), foreign])]))
        }
        expectBalanced(state, "call with a foreign argument") {
            _ = try state.call(try state.global("RETURNS_CYCLE"), [.integer(1), foreign])
        }
        let returnsCycle = try state.global("RETURNS_CYCLE")
        expectBalanced(state, "call returning a cycle") { _ = try state.call(returnsCycle) }
        expectBalanced(state, "registerModule with a foreign value") {
            try state.registerModule("m", ["f": foreign], global: true)
        }
        expectBalanced(state, "run raising an error") { try state.run("error('x')") }
        expectBalanced(state, "load of bad syntax") { _ = try state.load("return +", name: "bad.lua") }
    }

    @Test func failedConversionsInsideHostFunctionsLeaveNothingBehind() throws {
        let state = try LuaState()
        try state.register("convert") { call in try call.returning(call.value(1)) }
        try state.run("CYCLE = {} CYCLE.self = CYCLE")
        let before = state.stackDepth
        let results = try state.run(
            """
            local failures = 0
            for i = 1, 100000 do
              if not pcall(convert, CYCLE) then failures = failures + 1 end
            end
            return failures, coroutine.wrap(function()
              local n = 0
              for i = 1, 100000 do if not pcall(convert, CYCLE) then n = n + 1 end end
              return n
            end)()
            """)
        #expect(results == [.integer(100_000), .integer(100_000)])
        #expect(state.stackDepth == before)
    }
}

import Lua
import Testing

/// Host functions called from coroutines work on the coroutine's own stack: arguments, results,
/// errors and metatables are the same as from the main thread, however deep the coroutines nest and
/// however many calls one resume makes.
@Suite struct CoroutineTests {
    /// A state with `echo(...)` (returns its arguments), `fail(message)` (raises at the caller's line),
    /// `box(n)` (a userdata) and `unbox(b)`.
    private func hostState() throws -> LuaState {
        let state = try LuaState()
        try state.register("echo") { call in
            try call.returning(values: (1...max(call.argumentCount, 1)).map { try call.value($0) })
        }
        try state.register("fail") { call in
            throw LuaArgumentError(position: 1, function: "fail", problem: try call.string(1))
        }
        state.registerType(
            Box.self, name: "test.box",
            methods: [
                "get": { call in
                    call.returning(try call.object(1, as: Box.self).value)
                }
            ])
        try state.register("box") { call in
            try call.returning(call.state.userdata(Box(try call.integer(1))))
        }
        return state
    }

    private final class Box {
        let value: Int64
        init(_ value: Int64) { self.value = value }
    }

    /// The calls every shape below runs; returns a string describing every result.
    private static let calls = """
        local function calls()
          local parts = {}
          local a, b, c = echo(1, "two", { x = 3 })
          parts[#parts + 1] = table.concat({ a, b, c.x }, ",")
          parts[#parts + 1] = tostring(select("#", echo(nil, nil, 3)))
          local ok, err = pcall(function() fail("no") end)
          parts[#parts + 1] = tostring(ok) .. ":" .. err
          parts[#parts + 1] = tostring(box(41):get() + 1)
          parts[#parts + 1] = echo("a") .. echo("b")
          return table.concat(parts, "|")
        end
        """

    @Test(arguments: [
        ("direct", "return calls()"),
        ("wrapped", "return coroutine.wrap(calls)()"),
        (
            "created",
            "local co = coroutine.create(calls) local ok, r = coroutine.resume(co) assert(ok, r) return r"
        ),
        (
            "nested three deep",
            "return coroutine.wrap(function() return coroutine.wrap(function() return coroutine.wrap(calls)() end)() end)()"
        ),
        (
            "yielding between calls",
            """
            local co = coroutine.wrap(function()
              local first = echo("x")
              coroutine.yield(first)
              return calls()
            end)
            assert(co() == "x")
            return co()
            """
        ),
    ])
    func hostCallsGiveTheSameResultsInEveryShape(shape: String, body: String) throws {
        let state = try hostState()
        let results = try state.run(Self.calls + "\n" + body, name: "shapes.lua")
        #expect(
            results == [.text("1,two,3|3|false:shapes.lua:6: bad argument #1 to 'fail' (no)|42|ab")],
            "\(shape)")
    }

    @Test func tenThousandCallsInOneResume() throws {
        let state = try hostState()
        let results = try state.run(
            """
            return coroutine.wrap(function()
              local total = 0
              for i = 1, 10000 do
                local a, b = echo(i, "padding")
                total = total + a
              end
              return total
            end)()
            """)
        #expect(results == [.integer(50_005_000)])
        // The main thread's stack is untouched by the coroutine's calls.
        #expect(try state.run("return select('#', echo(1, 2, 3))") == [.integer(3)])
    }

    @Test func theWrongThreadNeverSeesTheArguments() throws {
        // Before the fix the arguments were read from the main thread's stack: concatenating a result
        // met a function value there.
        let state = try hostState()
        let results = try state.run(
            "return coroutine.wrap(function() return echo('a') .. '-' .. echo('b') end)()")
        #expect(results == [.text("a-b")])
    }

    @Test func aHostFunctionCanResumeACoroutineThatCallsHostFunctions() throws {
        let state = try hostState()
        try state.register("drive") { call in
            let results = try call.state.call(try call.function(1), [.integer(5)])
            return try call.returning(values: results)
        }
        let results = try state.run(
            """
            local co = coroutine.wrap(function(n)
              local x = echo(n)
              n = coroutine.yield(x + 1)
              return echo(n * 2)
            end)
            local first = drive(co)
            local second = coroutine.wrap(function() return drive(co) end)()
            return first, second
            """)
        #expect(results == [.integer(6), .integer(10)])
    }
}

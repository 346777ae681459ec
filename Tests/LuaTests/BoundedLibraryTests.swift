import Lua
import Testing

/// The library functions the sandbox rewrote so the limits reach inside them (string.rep, table.insert,
/// remove, move, concat, the xpcall message handler): Lua's answers where they end, a stop where they
/// would loop, in a coroutine as well. Lua's own test files (LuaTestSuiteTests) check the rest of their
/// behaviour against the reference interpreter.
@Suite struct BoundedLibraryTests {
    private func timed() throws -> LuaState {
        try LuaState(LuaConfiguration(limits: LuaLimits(time: .milliseconds(300))))
    }

    static let loops = [
        "table.move({}, 1, 1e15, 2)",
        "table.move({}, 1, 1e15, 2, {})",
        "table.insert(setmetatable({}, { __len = function() return math.maxinteger - 1 end }), 1, 'x')",
        "table.remove(setmetatable({}, { __len = function() return math.maxinteger end }), 1)",
        "table.concat(setmetatable({}, { __index = function() return '' end }), '', 1, math.maxinteger)",
        "xpcall(function() while true do end end, function(m) while true do end end)",
    ]

    @Test(arguments: loops)
    func aLoopInsideALibraryFunctionStopsAtTheTimeLimit(loop: String) throws {
        for script in [loop, "coroutine.wrap(function() \(loop) end)()", "pcall(function() \(loop) end)"] {
            let state = try timed()
            let error = luaError { try state.run(script + " return 'after'", name: "loop.lua") }
            #expect(error?.kind == .timeLimit, "\(script): \(String(describing: error))")
        }
    }

    @Test func theRewrittenFunctionsKeepLuasAnswers() throws {
        let state = try timed()
        let cases: [(String, [LuaValue])] = [
            (
                "return ('ab'):rep(3, ','), ('x'):rep(0), ('x'):rep(-1), #(''):rep(math.maxinteger)",
                [.text("ab,ab,ab"), .text(""), .text(""), .integer(0)]
            ),
            ("return (''):rep(3, '-')", [.text("--")]),
            (
                "local t = {1, 2, 3} table.insert(t, 1, 0) table.insert(t, 9) return table.concat(t, ',')",
                [.text("0,1,2,3,9")]
            ),
            (
                "local t = {1, 2, 3} return table.remove(t, 1), table.remove(t), table.concat(t, ',')",
                [.integer(1), .integer(3), .text("2")]
            ),
            ("local t = {} return table.remove(t), #t", [.nil, .integer(0)]),
            ("return table.concat(table.move({1, 2, 3, 4}, 1, 3, 2), ',')", [.text("1,1,2,3")]),
            ("return table.concat(table.move({1, 2, 3, 4}, 2, 4, 1), ',')", [.text("2,3,4,4")]),
            (
                "local t = table.move({1, 2}, 1, 2, 3, {9}) return t[1], t[2], t[3], t[4]",
                [.integer(9), .nil, .integer(1), .integer(2)]
            ),
            (
                "return table.concat({1, 'a', 2.5}, '-', 2), table.concat({}, 'x')",
                [.text("a-2.5"), .text("")]
            ),
        ]
        for (script, expected) in cases {
            #expect(try state.run(script) == expected, "\(script)")
        }
    }

    @Test func argumentErrorsAreLuas() throws {
        let state = try timed()
        for (script, message) in [
            ("table.insert({}, 5, 1)", "bad argument #2 to 'insert' (position out of bounds)"),
            ("table.insert({}, 1, 2, 3)", "wrong number of arguments to 'insert'"),
            ("table.remove({}, 5)", "bad argument #2 to 'remove' (position out of bounds)"),
            (
                "table.move({}, math.mininteger, -1, 1)",
                "bad argument #3 to 'move' (too many elements to move)"
            ),
            ("table.move({}, 1, 10, math.maxinteger)", "bad argument #4 to 'move' (destination wrap around)"),
            ("string.rep('xx', math.maxinteger)", "resulting string too large"),
            ("string.rep('a', 1 << 30, ',')", "resulting string too large"),
            ("table.concat({1, {}})", "invalid value (at index 2) in table for 'concat'"),
            ("table.concat(1)", "bad argument #1 to 'concat' (table expected, got number)"),
        ] {
            let error = luaError { try state.run(script) }
            #expect(error?.message.contains(message) == true, "\(script): \(String(describing: error))")
        }
    }
}

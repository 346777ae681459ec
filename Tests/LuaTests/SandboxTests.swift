import Foundation
import Lua
import Testing

@Suite struct SandboxTests {
    @Test(arguments: [
        "os.execute", "io.popen", "io.open", "io.lines", "package.loadlib", "dofile", "loadfile",
        "os.remove", "os.rename", "os.tmpname", "debug.sethook", "debug.getregistry", "debug.setmetatable",
        "debug.getupvalue", "debug.setupvalue", "debug.getlocal", "debug.setlocal", "debug.upvaluejoin",
        "debug.debug", "require('debug').sethook", "package.searchpath",
    ])
    func dangerousFunctionsAreUnreachable(expression: String) throws {
        let state = try LuaState()
        let result = try? state.run("return \(expression)")
        #expect(result == nil || result == [.nil])
    }

    @Test func safeFunctionsRemain() throws {
        let state = try LuaState()
        let results = try state.run(
            "return type(os.time), type(os.clock), type(os.date), type(os.getenv), type(io.write), type(io.read), type(string.format), type(coroutine.wrap), type(utf8.char)"
        )
        #expect(results.allSatisfy { $0 == .text("function") })
    }

    @Test func osExitIsAHostError() throws {
        let state = try LuaState()
        let error = luaError { try state.run("\nos.exit(0)", name: "exit.lua") }
        #expect(error?.message.hasPrefix("exit.lua:2: os.exit is not available in scripts") == true)
    }

    @Test func binaryChunksAreRefused() throws {
        let state = try LuaState()
        let viaLoad = try state.run("return load(string.dump(function() return 1 end))")
        #expect(viaLoad.first == .nil)
        #expect(viaLoad.dropFirst().first?.stringValue?.contains("attempt to load a binary chunk") == true)
        let viaMode = try state.run("return load(string.dump(function() return 1 end), 'x', 'b')")
        #expect(viaMode.first == .nil)
        let bytes = Array("\u{1B}Lua".utf8) + [0x54, 0x00]
        let direct = luaError { try state.load(bytes: bytes, chunkName: "=bin") }
        #expect(direct?.kind == .syntax)
        #expect(direct?.message.contains("binary chunk") == true)
    }

    @Test func binaryFilesAreRefusedForScriptsAndModules() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let dumped = try LuaState().run("return string.dump(function() return 'pwned' end)")
        guard case .string(let binary)? = dumped.first else {
            Issue.record("string.dump returned \(dumped)")
            return
        }
        let script = try directory.writeBytes("evil.lua", binary.bytes)
        let state = try LuaState()
        #expect(luaError { try state.run(file: script) }?.message.contains("binary chunk") == true)
        let main = try directory.write("main.lua", "return require('evil')")
        let viaRequire = luaError { try state.run(file: main) }
        #expect(viaRequire?.message.contains("binary chunk") == true)
    }

    @Test func textLoadStillWorks() throws {
        let state = try LuaState()
        #expect(try state.run("return load('return 1 + 1')()") == [.integer(2)])
    }

    @Test func unsandboxedStatesOpenEverything() throws {
        let state = try LuaState(LuaConfiguration(sandboxed: false))
        #expect(try state.run("return type(io.open), type(debug)") == [.text("function"), .text("table")])
    }

    // MARK: require

    @Test func requireSearchesOnlyTheDirectoriesFixedByTheHost() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let secret = try directory.write("elsewhere/secret.lua", "return 'read from outside'")
        try directory.write("scripts/helper.lua", "return 'helper'")
        let main = try directory.write(
            "scripts/main.lua",
            """
            local found = require("helper")
            package.path = "\(secret)"
            local ok, err = pcall(require, "anything")
            package.path = "\(directory.path)/elsewhere/?.lua"
            local ok2, err2 = pcall(require, "secret")
            return found, ok, ok2, err2
            """)
        let results = try LuaState().run(file: main)
        #expect(results.prefix(3) == [.text("helper"), .boolean(false), .boolean(false)])
        #expect(results.last?.stringValue?.contains("module 'secret' not found") == true)
    }

    // MARK: os.getenv

    @Test func credentialVariablesAreHiddenFromScripts() throws {
        setenv("AWS_SENTINEL_TEST_SECRET_VALUE", "hidden-value", 1)
        setenv("SENTINEL_TEST_PLAIN_VALUE", "visible", 1)
        let state = try LuaState()
        #expect(
            try state.run(
                "return os.getenv('AWS_SENTINEL_TEST_SECRET_VALUE'), os.getenv('aws_sentinel_test_secret_value'), os.getenv('SENTINEL_TEST_PLAIN_VALUE')"
            ) == [.nil, .nil, .text("visible")])
    }

    // MARK: finalizers

    @Test func scriptsCannotSetFinalizers() throws {
        let state = try LuaState()
        let error = luaError {
            try state.run("setmetatable({}, { __gc = function() while true do end end })", name: "gc.lua")
        }
        #expect(
            error?.message
                == "gc.lua:1: finalizers (__gc) are not available in scripts: no time limit can stop code that the garbage collector runs"
        )
        // Setting __gc later does not make a finalizer (Lua marks objects when the metatable is set).
        #expect(
            try state.run(
                """
                local mt = {}
                local t = setmetatable({}, mt)
                mt.__gc = function() error("ran") end
                t = nil
                collectgarbage()
                return "no finalizer"
                """) == [.text("no finalizer")])
        // Everything else setmetatable does is Lua's.
        #expect(
            try state.run("return getmetatable(setmetatable({}, { __index = { x = 1 } })).__index.x") == [
                .integer(1)
            ])
        #expect(
            luaError { try state.run("setmetatable(1, {})") }?.message.contains(
                "bad argument #1 to 'setmetatable'") == true)
    }

    @Test func hostMetatablesAreReadOnlyToScripts() throws {
        let state = try LuaState()
        final class Thing {}
        state.registerType(
            Thing.self, name: "test.thing", methods: ["name": { call in call.returning("thing") }])
        try state.setGlobal("thing", try state.userdata(Thing()))
        #expect(
            try state.run("return thing:name(), getmetatable(thing).__name") == [
                .text("thing"), .text("test.thing"),
            ])
        let error = luaError { try state.run("getmetatable(thing).__gc = function() end") }
        #expect(error?.message.contains("the metatable of a host value is read-only") == true)
        // The empty-list marker's metatable is the host's too.
        let list = luaError { try state.run("getmetatable(...).__gc = print", arguments: [.array([])]) }
        #expect(list?.message.contains("read-only") == true)
    }

    @Test func aReleasedHostFunctionRaisesAnErrorNamingIt() throws {
        // Only an unsandboxed state can have script finalizers: one that calls a host function whose
        // userdata was finalized first (it was made after the finalizer's object) gets an error.
        let state = try LuaState(LuaConfiguration(sandboxed: false))
        try state.register("make") { call in
            try call.returning(call.state.function(named: "made") { call in call.returning("alive") })
        }
        try state.run(
            "KEEP = setmetatable({}, { __gc = function(o) RESULT = { pcall(o.f) } end }) KEEP.f = make()")
        // In a later run, once Swift has dropped its own reference to the function, both become
        // garbage together and Lua finalizes the newer (the function's userdata) first.
        let results = try state.run(
            """
            KEEP = nil
            collectgarbage()
            collectgarbage()
            return RESULT[1], RESULT[2]
            """)
        #expect(results.first == .boolean(false))
        #expect(
            results.last?.stringValue?.contains(
                "host function 'made' is no longer available (its Lua state is closing)") == true)
    }

    @Test func closingAStateWhoseFinalizerCallsAReleasedHostFunctionDoesNotCrash() throws {
        // The reproduction of the crash at exit: the finalizer runs at close.
        let state = try LuaState(LuaConfiguration(sandboxed: false))
        try state.register("make") { call in
            try call.returning(call.state.function(named: "made") { call in call.returning() })
        }
        try state.run("KEEP = setmetatable({}, { __gc = function(o) o.f() end }) KEEP.f = make()")
    }

    // MARK: Lua's own semantics

    @Test func loadGivesChunksTheGlobalsByDefault() throws {
        let state = try LuaState()
        #expect(try state.run("return load('return math.pi')() == math.pi") == [.boolean(true)])
        #expect(try state.run("return load('return x', 'c', 't', { x = 7 })()") == [.integer(7)])
        #expect(try state.run("return select('#', load('return x', 'c', 't', nil)) == 1") == [.boolean(true)])
        #expect(
            try state.run(
                """
                local parts = { "return ", "1 + ", "2" }
                local i = 0
                return load(function() i = i + 1 return parts[i] end)()
                """) == [.integer(3)])
        let binaryOnly = try state.run("return load('return 1', 'c', 'b')")
        #expect(binaryOnly.first == .nil)
        #expect(binaryOnly.last?.stringValue?.contains("attempt to load a text chunk") == true)
    }

    @Test func debugKeepsItsSafeSubset() throws {
        let state = try LuaState()
        let results = try state.run(
            """
            local ok, trace = xpcall(function() error("boom") end, debug.traceback)
            local info = debug.getinfo(1, "Slf")
            return ok, trace, info.currentline, info.func
            """, name: "dbg.lua")
        #expect(results.first == .boolean(false))
        #expect(results.dropFirst().first?.stringValue?.contains("stack traceback:") == true)
        #expect(results.dropFirst(2).first == .integer(2))
        #expect(results.count == 3 || results.last == .nil)
    }
}

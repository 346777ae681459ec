import Lua
import Testing

@Suite struct SandboxTests {
    @Test(arguments: [
        "os.execute", "io.popen", "io.open", "io.lines", "package.loadlib", "dofile", "loadfile",
        "os.remove", "os.rename", "os.tmpname", "debug", "require('debug')",
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
}

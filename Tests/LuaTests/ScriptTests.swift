import Lua
import Testing

@Suite struct ScriptTests {
    @Test func runtimeAndSyntaxErrorsNameFileAndLine() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let state = try LuaState()
        let runtime = try directory.write("runtime.lua", "local a = 1\nlocal b = nil\nreturn a + b\n")
        let runtimeError = luaError { try state.run(file: runtime) }
        #expect(runtimeError?.kind == .runtime)
        #expect(
            runtimeError?.message == "\(runtime):3: attempt to perform arithmetic on a nil value (local 'b')")
        #expect(runtimeError?.traceback?.contains("stack traceback:") == true)
        let syntax = try directory.write("syntax.lua", "local x = 1\nif x then\n")
        let syntaxError = luaError { try state.run(file: syntax) }
        #expect(syntaxError?.kind == .syntax)
        #expect(syntaxError?.message == "\(syntax):3: 'end' expected (to close 'if' at line 2) near <eof>")
        #expect(luaError { try state.run(file: directory.path + "/missing.lua") }?.kind == .file)
    }

    @Test func scriptsGetArgumentsAndSkipTheShebang() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let script = try directory.write(
            "args.lua",
            "#!/usr/bin/env sentinel-tables run\nlocal a, b = ...\nreturn arg[0], arg[1], a, b, #arg\n")
        let state = try LuaState()
        #expect(try state.run(file: script, arguments: ["x", "y"]) == [.text(script), "x", "x", "y", 2])
        let error = luaError { try state.run("#!shebang\n\nerror('line three')", name: "s.lua") }
        #expect(error?.message == "s.lua:3: line three")
    }

    @Test func requireFindsModulesNextToTheScriptAndOnTheLuaPath() throws {
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        try directory.write("project/helpers.lua", "return { answer = 42 }")
        try directory.write("project/pkg/init.lua", "return { name = 'pkg' }")
        try directory.write("shared/extra.lua", "return { shared = true }")
        try directory.write("project/broken.lua", "local x = \nerror('broken module')")
        let main = try directory.write(
            "project/main.lua",
            "return require('helpers').answer, require('pkg').name, require('extra').shared")
        let state = try LuaState(LuaConfiguration(modulePaths: [directory.path + "/shared"]))
        #expect(try state.run(file: main) == [42, "pkg", true])
        let failing = try directory.write("project/uses_broken.lua", "require('broken')")
        let error = luaError { try state.run(file: failing) }
        #expect(error?.message.contains("\(directory.path)/project/broken.lua:2: broken module") == true)
    }

    @Test func globalsCanBeSetAndRead() throws {
        let state = try LuaState()
        try state.setGlobal("config", ["region": "eu-west-1", "tables": ["a", "b"]])
        #expect(try state.run("return config.region, #config.tables") == [.text("eu-west-1"), 2])
        try state.run("answer = 42")
        #expect(try state.global("answer") == 42)
        #expect(state.globalNames().contains("config"))
    }
}

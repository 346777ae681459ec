import Foundation
import Testing

@Suite struct RunCommandTests {
    @Test func helloExampleRuns() throws {
        let result = try CommandRunner.run(
            ["run", "examples/hello.lua", "team"], in: CommandRunner.repositoryRoot)
        #expect(result.status == 0)
        #expect(result.stdout == "hello, team, from Lua 5.4\n")
    }

    @Test func scriptErrorExitsOneWithLocationAndTraceback() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("fail.lua", "local x = 1\nerror('provisioning failed')\n")
        let result = try CommandRunner.run(["run", "fail.lua"], in: directory.path)
        #expect(result.status == 1)
        #expect(!result.killedBySignal)
        #expect(result.stderr.hasPrefix("fail.lua:2: provisioning failed\nstack traceback:\n"))
        #expect(result.stderr.contains("fail.lua:2: in main chunk"))
    }

    @Test func syntaxErrorExitsOneWithLocation() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("bad.lua", "if ready then\n  go = 1\n")
        let result = try CommandRunner.run(["run", "bad.lua"], in: directory.path)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("bad.lua:3: 'end' expected (to close 'if' at line 1) near <eof>"))
    }

    @Test func argumentsReachTheScript() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("args.lua", "#!/usr/bin/env sentinel-tables run\nprint(arg[0], ...)\n")
        let result = try CommandRunner.run(["run", "args.lua", "--flag", "value"], in: directory.path)
        #expect(result.status == 0)
        #expect(result.stdout == "args.lua\t--flag\tvalue\n")
    }

    @Test(arguments: [
        ["run"], ["run", "missing.lua"], ["run", "--timeout", "-1", "x.lua"], ["run", "."],
        ["run", "--memory-limit", "0", "x.lua"],
        ["frobnicate"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("x.lua", "")
        let result = try CommandRunner.run(arguments, in: directory.path)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
    }

    @Test func timeoutStopsALoopEvenUnderPcall() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("spin.lua", "while true do\n  pcall(function() while true do end end)\nend\n")
        let result = try CommandRunner.run(["run", "--timeout", "0.5", "spin.lua"], in: directory.path)
        #expect(result.status == 1)
        #expect(!result.killedBySignal)
        #expect(result.stderr.contains("time limit of 0.5 s exceeded"))
        #expect(result.stderr.hasPrefix("spin.lua:"))
    }

    @Test func memoryLimitIsAScriptError() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "bomb.lua", "local t = {}\nfor i = 1, math.maxinteger do t[i] = string.rep('x', 100) .. i end\n")
        let result = try CommandRunner.run(["run", "--memory-limit", "16", "bomb.lua"], in: directory.path)
        #expect(result.status == 1)
        #expect(!result.killedBySignal)
        #expect(result.stderr.contains("bomb.lua: memory limit of 16 MB exceeded"))
    }

    @Test func ctrlCInterruptsWithStatus130() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("forever.lua", "io.write('started\\n')\nwhile true do end\n")
        let result = try CommandRunner.run(
            ["run", "forever.lua"], in: directory.path, interruptAfter: .milliseconds(500))
        #expect(result.status == 130)
        #expect(!result.killedBySignal)
        #expect(result.stderr.hasPrefix("forever.lua:2: interrupted!"))
    }

    @Test func sandboxHoldsInTheTool() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("escape.lua", "os.execute('touch pwned')\n")
        let result = try CommandRunner.run(["run", "escape.lua"], in: directory.path)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("escape.lua:1: attempt to call a nil value (field 'execute')"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/pwned"))
        try directory.write("exit.lua", "os.exit(0)\n")
        let exit = try CommandRunner.run(["run", "exit.lua"], in: directory.path)
        #expect(exit.status == 1)
    }

    @Test func requireUsesTheLuaPathOption() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(
            atPath: directory.path + "/lib", withIntermediateDirectories: true)
        try directory.write("lib/naming.lua", "return { prefix = 'prod-' }")
        try directory.write("main.lua", "print(require('naming').prefix .. 'sessions')")
        let result = try CommandRunner.run(["run", "--lua-path", "lib", "main.lua"], in: directory.path)
        #expect(result.status == 0)
        #expect(result.stdout == "prod-sessions\n")
    }

    @Test func aMisspeltOptionIsNamedNotTakenForTheScript() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("x.lua", "")
        let result = try CommandRunner.run(
            ["run", "--endpont-url", "http://127.0.0.1:1", "x.lua"], in: directory.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Unknown option '--endpont-url'"), "\(result.stderr)")
        #expect(!result.stderr.contains("cannot read script"))
    }

    @Test func aTypoInAMultiLineConstructorIsReportedOnItsLine() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "typo.lua",
            """
            local t = sentinel.table {
              name = "audit",
              partition_key = "id",
              nmae = "typo",
            }
            """)
        let result = try CommandRunner.run(["run", "typo.lua"], in: directory.path)
        #expect(result.status == 1)
        #expect(
            result.stderr.hasPrefix(
                "typo.lua:4: unknown option 'nmae' in sentinel.table (did you mean 'name'?)"),
            "\(result.stderr)")
    }
}

import Foundation
import Testing

/// The reproductions of issue 14 as a user meets them: `sentinel-tables run` with the limits, scripts
/// that use coroutines and finalizers, and the caller's credentials in the environment.
@Suite struct ScriptLimitsCommandTests {
    /// A process still running after this long is killed: a hang fails the test instead of the suite.
    static let safetyNet: Duration = .seconds(30)

    @Test func aBacktrackingPatternEndsAtTheTimeout() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("pattern.lua", #"print(string.find(("a"):rep(22), ("a*"):rep(22) .. "b"))"#)
        let result = try CommandRunner.run(
            ["run", "--timeout", "1", "pattern.lua"], in: directory.path, killAfter: Self.safetyNet)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("pattern.lua:1: time limit of 1 s exceeded"))
    }

    @Test func aStopWhileApplyWaitsCannotBeCaughtWithPcall() throws {
        // The proxy keeps new tables CREATING for a minute, so apply is waiting when the limit passes.
        let proxy = try DelayProxy(delay: 60)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "apply.lua",
            """
            local s = sentinel.table { name = "pcall-stop-\(UUID().uuidString.prefix(8).lowercased())", partition_key = "id" }
            print(pcall(sentinel.apply, { s }))
            print("done")
            """)
        let result = try CommandRunner.run(
            ["run", "--timeout", "2", "--endpoint-url", proxy.endpoint, "apply.lua"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment, killAfter: Self.safetyNet)
        #expect(result.status == 1)
        #expect(!result.stdout.contains("done"))
        // After apply's progress lines, the stop, located at the script's pcall line.
        #expect(result.stderr.contains("\napply.lua:2: time limit of 2 s exceeded"), "\(result.stderr)")
    }

    @Test func hostFunctionsWorkInsideCoroutines() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "co.lua",
            """
            print(coroutine.wrap(function() return sentinel.validate(sentinel.schema.sessions()) end)())
            local total = 0
            local co = coroutine.wrap(function()
              for i = 1, 10000 do coroutine.yield(sentinel.schema.sessions { name = "s" .. i }.name) end
            end)
            for i = 1, 10000 do total = total + #co() end
            print(total)
            """)
        let result = try CommandRunner.run(["run", "co.lua"], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "true\n\(Self.nameLengths)\n")
    }

    /// The total length of "s1" ... "s10000".
    static let nameLengths = (1...10_000).reduce(0) { $0 + 1 + String($1).count }

    @Test func aFinalizerIsRefusedNotACrashAtExit() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "gc.lua",
            """
            keep = setmetatable({}, { __gc = function(o) o.f() end })
            keep.f = sentinel.db.each("t")
            """)
        let result = try CommandRunner.run(["run", "gc.lua"], in: directory.path)
        #expect(!result.killedBySignal)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("gc.lua:1: finalizers (__gc) are not available in scripts"))
    }

    @Test func scriptsCannotReadTheCallersCredentials() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "env.lua",
            """
            for _, name in ipairs { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                                    "AWS_SECURITY_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN" } do
              print(name, os.getenv(name))
            end
            print("AWS_REGION", os.getenv("AWS_REGION"))
            """)
        let result = try CommandRunner.run(
            ["run", "env.lua"], in: directory.path,
            environment: [
                "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG",
                "AWS_SESSION_TOKEN": "session-token-value", "AWS_SECURITY_TOKEN": "security-token-value",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-token", "AWS_REGION": "eu-west-1",
            ])
        #expect(result.status == 0)
        #expect(
            result.stdout
                == """
                AWS_ACCESS_KEY_ID\tnil
                AWS_SECRET_ACCESS_KEY\tnil
                AWS_SESSION_TOKEN\tnil
                AWS_SECURITY_TOKEN\tnil
                AWS_CONTAINER_AUTHORIZATION_TOKEN\tnil
                AWS_REGION\teu-west-1

                """)
    }

    @Test func requireIgnoresAPackagePathTheScriptSets() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("secret.env", "KEY=value\n")
        try directory.write("sub/main.lua", #"package.path = "?.env" print(pcall(require, "secret"))"#)
        let result = try CommandRunner.run(["run", "sub/main.lua"], in: directory.path)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("false\tmodule 'secret' not found"))
    }

    @Test func tracebacksShowOnlyTheUsersFrames() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("gsi.lua", "local s = sentinel.schema.sessions()\ns:add_gsi { nmae = 'x' }\n")
        let result = try CommandRunner.run(["run", "gsi.lua"], in: directory.path)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "gsi.lua:2: unknown option 'nmae' in add_gsi (did you mean 'name'?)\nstack traceback:\n\tgsi.lua:2: in main chunk\n"
        )
    }

    @Test func aReadFromStandardInputThatNeverComesEndsAtTheTimeout() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("read.lua", "print(io.read())\nprint('after')\n")
        // Standard input stays open and empty, as a terminal nobody types into.
        let result = try CommandRunner.runWithInputLeftOpen(
            ["run", "--timeout", "1", "read.lua"], in: directory.path, input: "", killAfter: Self.safetyNet)
        #expect(!result.killedBySignal)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("read.lua:1: time limit of 1 s exceeded"), "\(result.stderr)")
    }

    @Test func readingStandardInputStillWorks() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("read.lua", "print(io.read('l'), io.read('n'), io.read('a'))")
        let result = try CommandRunner.run(
            ["run", "--timeout", "5", "read.lua"], in: directory.path, stdin: "first line\n42 rest\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "first line\t42\t rest\n\n")
    }
}

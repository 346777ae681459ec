import Foundation
import Testing

/// Issue 27's first rule, one deadline, as a user meets it: every route the review found where code
/// outlived `--timeout` (finalizers, a message handler called for the stop itself, C loops, a read that
/// had part of its input, a credential_process that never answers), each from a script and from a
/// coroutine, and the watchdog behind all of them.
@Suite struct OneDeadlineTests {
    /// A process still running after this long is killed: a hang fails the test instead of the suite.
    static let safetyNet: Duration = .seconds(40)

    /// Runs `script` with `run --timeout SECONDS`, plainly and wrapped in a coroutine.
    static func runBothWays(_ script: String, timeout: String = "1", extra: [String] = []) throws
        -> [CommandResult]
    {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("plain.lua", script)
        try directory.write(
            "co.lua", "local co = coroutine.wrap(function(...)\n\(script)\nend)\nco(...)\n")
        return try ["plain.lua", "co.lua"].map { name in
            try CommandRunner.run(
                ["run", "--timeout", timeout] + extra + [name], in: directory.path, killAfter: Self.safetyNet)
        }
    }

    @Test func aFinalizerCannotBeGivenToTheStandardOutputFile() throws {
        for result in try Self.runBothWays(
            "getmetatable(io.write()).__gc = function() while true do end end\nprint('after')")
        {
            #expect(!result.killedBySignal)
            #expect(result.status == 1)
            #expect(!result.stdout.contains("after"))
            #expect(result.stderr.contains("attempt to index a boolean value"), "\(result.stderr)")
        }
    }

    @Test func theStandardOutputStandInChainsWritesAndHasNoFileMethods() throws {
        let results = try Self.runBothWays(
            """
            io.write("a"):write("b", 1):flush()
            print("", tostring(io.write()), io.write().read, io.write().lines, getmetatable(io.write()))
            """)
        for result in results {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "ab1\tfile (standard output)\tnil\tnil\tfalse\n")
        }
    }

    @Test func aMessageHandlerCalledForTheStopCannotOutliveIt() throws {
        for result in try Self.runBothWays(
            "xpcall(function() while true do end end, function(m) while true do end end)\nprint('after')")
        {
            #expect(!result.killedBySignal)
            #expect(result.status == 1)
            #expect(!result.stdout.contains("after"))
            #expect(result.stderr.contains("time limit of 1 s exceeded"), "\(result.stderr)")
            #expect(!result.stderr.contains("the process ends"), "the watchdog, not the limit, ended it")
        }
    }

    @Test func aMessageHandlerStillRunsForOrdinaryErrors() throws {
        for result in try Self.runBothWays(
            "print(xpcall(function() error('boom', 0) end, function(m) return 'handled ' .. m end))")
        {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "false\thandled boom\n")
        }
    }

    @Test func libraryLoopsStopAtTheDeadline() throws {
        let loops = [
            "table.move({}, 1, 1e15, 2)",
            "table.insert(setmetatable({}, { __len = function() return math.maxinteger - 1 end }), 1, 'x')",
            "table.remove(setmetatable({}, { __len = function() return math.maxinteger end }), 1)",
            "table.concat(setmetatable({}, { __index = function() return '' end }), '', 1, math.maxinteger)",
        ]
        for loop in loops {
            for result in try Self.runBothWays("\(loop)\nprint('after')") {
                #expect(!result.killedBySignal, "\(loop)")
                #expect(result.status == 1, "\(loop)")
                #expect(!result.stdout.contains("after"), "\(loop)")
                #expect(result.stderr.contains("time limit of 1 s exceeded"), "\(loop): \(result.stderr)")
                #expect(!result.stderr.contains("the process ends"), "\(loop): the watchdog ended it")
            }
        }
    }

    @Test func aRepetitionOfNothingAnswersAtOnce() throws {
        for result in try Self.runBothWays(
            "print(#string.rep('', math.maxinteger), #('x'):rep(3, ''), ('ab'):rep(3, ','))", timeout: "30")
        {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "0\t3\tab,ab,ab\n")
        }
    }

    @Test func aLongRepetitionIsAMemoryErrorUnderTheCap() throws {
        for result in try Self.runBothWays(
            "local s = ('x'):rep(1 << 30)\nprint(#s)", timeout: "30", extra: ["--memory-limit", "64"])
        {
            #expect(!result.killedBySignal)
            #expect(result.status == 1)
            #expect(result.stderr.contains("memory limit of 64 MB exceeded"), "\(result.stderr)")
        }
    }

    @Test func aPlainFindOfALongNeedleTakesLinearTime() throws {
        // A naive search compares for hours; the two-way search answers in a fraction of the limit.
        for result in try Self.runBothWays(
            """
            local hay = ("a"):rep(50000000)
            local needle = ("a"):rep(200000) .. "b"
            print(hay:find(needle, 1, true), (hay .. "b"):find(needle, 1, true))
            """, timeout: "30")
        {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "nil\t49800001\t50000001\n")
        }
    }

    /// Runs `run --timeout 2 read.lua` with standard input that receives `input` and then stays open,
    /// as `(printf abc; sleep 25) | sentinel-tables run` does.
    static func readWithInputThatStopsComing(_ script: String, input: String) throws -> CommandResult {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("read.lua", script)
        return try CommandRunner.runWithInputLeftOpen(
            ["run", "--timeout", "2", "read.lua"], in: directory.path, input: input, killAfter: Self.safetyNet
        )
    }

    @Test(arguments: ["io.read('a')", "io.read('l')", "io.read('L')", "io.read('n')", "io.read(10)"])
    func aReadThatHadPartOfItsInputEndsAtTheDeadline(read: String) throws {
        for wrapped in [read, "coroutine.wrap(function() return \(read) end)()"] {
            let result = try Self.readWithInputThatStopsComing(
                "print(\(wrapped))\nprint('after')\n", input: "123")
            #expect(!result.killedBySignal, "\(wrapped)")
            #expect(result.status == 1, "\(wrapped)")
            #expect(!result.stdout.contains("after"), "\(wrapped)")
            #expect(result.stderr.contains("time limit of 2 s exceeded"), "\(wrapped): \(result.stderr)")
        }
    }

    @Test func everyReadFormatKeepsLuasMeaning() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "read.lua",
            """
            print(io.read('l', 'L', 'n', '*n', 3, 'n'))
            print(io.read(0), io.read('a'), io.read('a'), io.read('l'), io.read(0), io.read(5))
            """)
        let result = try CommandRunner.run(
            ["run", "--timeout", "10", "read.lua"], in: directory.path,
            stdin: "first\nsecond\n  42 0x1F rest -7e2 tail\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout
                == "first\tsecond\n\t42\t31\t re\tnil\n\tst -7e2 tail\n\t\tnil\tnil\tnil\n")
    }

    @Test func aCredentialProcessThatNeverAnswersIsKilledAtTheDeadline() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let pidFile = directory.path + "/credential.pid"
        try directory.write(
            ".aws/config",
            "[profile hung]\nregion = eu-west-1\ncredential_process = sh -c \"echo $$ > \(pidFile); exec sleep 600\"\n"
        )
        try directory.write("tables.lua", "print(sentinel.db.tables())\nprint('after')\n")
        try directory.write(
            "co.lua", "print(coroutine.wrap(function() return sentinel.db.tables() end)())\nprint('after')\n")
        for script in ["tables.lua", "co.lua"] {
            try? FileManager.default.removeItem(atPath: pidFile)
            let result = try CommandRunner.run(
                [
                    "run", "--timeout", "2", "--profile", "hung", "--endpoint-url", "http://127.0.0.1:9",
                    script,
                ],
                in: directory.path,
                environment: LocalDynamoDB.clientEnvironment.merging([
                    "HOME": directory.path, "AWS_CONFIG_FILE": directory.path + "/.aws/config",
                    "AWS_SHARED_CREDENTIALS_FILE": directory.path + "/.aws/credentials",
                    "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_EC2_METADATA_DISABLED": "true",
                ]) { $1 },
                killAfter: Self.safetyNet)
            #expect(!result.killedBySignal, "\(script)")
            #expect(result.status == 1, "\(script)")
            #expect(!result.stdout.contains("after"), "\(script)")
            #expect(result.stderr.contains("time limit of 2 s exceeded"), "\(script): \(result.stderr)")
            let pid = try #require(
                Int32(
                    try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(
                        in: .whitespacesAndNewlines)))
            // Killed, not left behind: wait (without a time assertion) for the process to be gone.
            var alive = true
            for _ in 0..<200 where alive {
                alive = kill(pid, 0) == 0
                if alive { Thread.sleep(forTimeInterval: 0.05) }
            }
            #expect(!alive, "\(script): the credential_process \(pid) outlived the deadline")
        }
    }

    @Test func theWatchdogEndsARunBlockedWhereNoLimitReaches() throws {
        // A write to a pipe nobody reads blocks in the C library, where neither the hook nor a host
        // function runs: only the watchdog can end it.
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("write.lua", "while true do io.write(('x'):rep(65536)) end\n")
        let result = try CommandRunner.runWithInputLeftOpen(
            ["run", "--timeout", "1", "write.lua"], in: directory.path, input: nil, killAfter: Self.safetyNet)
        #expect(!result.killedBySignal, "the run outlived the watchdog")
        #expect(result.status == 1)
        #expect(result.stderr.contains("time limit of 1 s exceeded"), "\(result.stderr)")
        #expect(result.stderr.contains("the process ends"), "\(result.stderr)")
    }

    @Test func theREPLCannotGiveFilesAFinalizerEither() throws {
        let result = try CommandRunner.run(
            ["repl", "--timeout", "1"],
            stdin: "getmetatable(io.write()).__gc = function() while true do end end\n=1 + 1\n",
            environment: ["XDG_STATE_HOME": "/tmp/ct-repl-state"], killAfter: Self.safetyNet)
        #expect(!result.killedBySignal)
        #expect(result.stdout == "2\n")
        #expect(result.stderr.contains("attempt to index a boolean value"), "\(result.stderr)")
    }

    @Test func aTargetsFileCannotGiveFilesAFinalizer() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "targets.lua",
            "getmetatable(io.write()).__gc = function() while true do end end\nreturn { dev = { region = 'eu-west-1' } }\n"
        )
        let result = try CommandRunner.run(
            ["status", "--targets", "targets.lua", "--all-targets", "sentinel-sessions"], in: directory.path,
            killAfter: Self.safetyNet)
        #expect(!result.killedBySignal)
        #expect(result.status != 0)
        #expect(result.stderr.contains("attempt to index a boolean value"), "\(result.stderr)")
    }
}

import Foundation
import Testing

/// The tool's own options: numbers out of range are usage errors, and `run`'s options after the
/// script are refused rather than handed to the script.
@Suite struct OptionTests {
    /// Every numeric option of every command, with the arguments that make the rest of the command
    /// line valid.
    static let numericOptions: [(command: [String], option: String)] = [
        (["run", "x.lua"], "--timeout"), (["run", "x.lua"], "--memory-limit"),
        (["run", "x.lua"], "--aws-timeout"),
        (["plan", "x.lua"], "--timeout"), (["plan", "x.lua"], "--memory-limit"),
        (["plan", "x.lua"], "--aws-timeout"),
        (["apply", "x.lua"], "--wait-timeout"), (["apply", "x.lua"], "--timeout"),
        (["apply", "x.lua"], "--memory-limit"), (["apply", "x.lua"], "--aws-timeout"),
        (["status"], "--aws-timeout"), (["delete", "t", "--yes"], "--aws-timeout"),
        (["schema", "approvals"], "--timeout"), (["schema", "approvals"], "--memory-limit"),
        (["iam", "--schema", "approvals"], "--timeout"),
        (["iam", "--schema", "approvals"], "--memory-limit"),
        (["repl"], "--timeout"), (["repl"], "--memory-limit"), (["repl"], "--aws-timeout"),
        (["export", "t"], "--segments"), (["migrate", "x.lua", "--table", "a", "--to", "b"], "--segments"),
        (["migrate", "x.lua", "--table", "a", "--to", "b"], "--page-size"),
        (["migrate", "x.lua", "--table", "a", "--to", "b"], "--wait-timeout"),
        (["status", "--all-targets"], "--parallel"),
        (["import", "t", "f.json", "--create-from", "x.lua"], "--timeout"),
        (["import", "t", "f.json", "--create-from", "x.lua"], "--memory-limit"),
        (["import", "t", "f.json"], "--aws-timeout"),
    ]

    static let outOfRange = [
        "1e16", "8796093022208", "-5", "0", "nan", "inf", "1e400", "-inf", "9223372036854775808",
        "-9223372036854775809", "1e300",
    ]

    @Test(arguments: numericOptions.indices)
    func numbersOutOfRangeAreUsageErrors(_ index: Int) throws {
        let (command, option) = Self.numericOptions[index]
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("x.lua", "return {}\n")
        for value in Self.outOfRange {
            // `--opt VALUE` before the command's other arguments, `--opt=VALUE` after them.
            for arguments in [
                [command[0], option, value] + command.dropFirst(), command + ["\(option)=\(value)"],
            ] {
                let result = try CommandRunner.run(
                    arguments, in: directory.path, stdin: "",
                    environment: ["AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:9"])
                #expect(!result.killedBySignal, "\(arguments) crashed")
                #expect(result.status == 2, "\(arguments): \(result.stderr)")
                #expect(result.stderr.contains(option), "\(arguments): \(result.stderr)")
                #expect(!result.stderr.contains("Missing value"), "\(arguments): \(result.stderr)")
            }
        }
    }

    @Test func negativeTimeoutSaysWhatIsWrong() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("x.lua", "")
        let result = try CommandRunner.run(["run", "--timeout", "-5", "x.lua"], in: directory.path)
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("--timeout must be a number of seconds greater than 0"), "\(result.stderr)"
        )
        #expect(result.stderr.contains("got -5"), "\(result.stderr)")
    }

    /// Issue 29: `--memory-limit 1.5` was refused as "The value '1.5' is invalid", which does not say
    /// what the option takes. Every whole-number option now says its range and what it got.
    @Test(arguments: [
        (
            ["run", "--memory-limit", "1.5", "x.lua"],
            "--memory-limit must be a whole number from 1 to 1048576, got 1.5"
        ),
        (
            ["run", "--memory-limit", "1e400", "x.lua"],
            "--memory-limit must be a whole number from 1 to 1048576, got inf"
        ),
        (
            ["export", "t", "--segments", "ten"],
            "--segments must be a whole number from 1 to 1000, got 'ten'"
        ),
        (
            ["migrate", "x.lua", "--table", "t", "--to", "u", "--segments", "nan"],
            "--segments must be a whole number from 1 to 1000, got nan"
        ),
        (
            ["migrate", "x.lua", "--table", "t", "--to", "u", "--page-size", "12.5"],
            "--page-size must be a whole number from 1 to 2147483647, got 12.5"
        ),
        (["status", "--parallel", "2.5"], "--parallel must be a whole number from 1 to 64, got 2.5"),
        (
            ["export", "t", "--segments", "99999999999999999999"],
            "--segments must be a whole number from 1 to 1000, got 100000000000000000000"
        ),
    ])
    func wholeNumberOptionsSayWhatTheyTake(arguments: [String], message: String) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    /// Whole values in any spelling are taken, as scripts' options take them.
    @Test func wholeNumberOptionsTakeAnySpellingOfAWholeValue() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("x.lua", "print('ran')\n")
        for value in ["64", "1e3", "64.0", "+64"] {
            let result = try CommandRunner.run(["run", "--memory-limit", value, "x.lua"], in: directory.path)
            #expect(result.status == 0, "\(value): \(result.stderr)")
            #expect(result.stdout == "ran\n")
        }
    }

    /// A parallel scan's `segments` past 1000 says why the bound is low; a fraction, NaN or 0 is wrong
    /// for another reason and does not get that hint. Refused before any request (the endpoint is closed).
    @Test func theSegmentsHintIsGivenOnlyForTooMany() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "seg.lua",
            """
            for _, v in ipairs({ 5000, 0/0, 0.5, 1e9, 0 }) do
              print(select(2, pcall(sentinel.db.scan, "t", { segments = v })))
            end
            """)
        let result = try CommandRunner.run(
            ["run", "--endpoint-url", "http://127.0.0.1:9", "seg.lua"], in: directory.path,
            environment: ["AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 5, "\(result.stdout)\(result.stderr)")
        let hint = " (a parallel scan runs at most 8 segments at once, so more only add requests)"
        #expect(lines[0].hasSuffix("got 5000" + hint), "\(lines[0])")
        #expect(lines[1].hasSuffix("got nan"), "\(lines[1])")
        #expect(lines[2].hasSuffix("got 0.5"), "\(lines[2])")
        #expect(lines[3].hasSuffix("got 1000000000" + hint), "\(lines[3])")
        #expect(lines[4].hasSuffix("got 0"), "\(lines[4])")
    }

    @Test func numbersInRangeStillWork() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("x.lua", "print('ran')\n")
        let result = try CommandRunner.run(
            ["run", "--timeout", "31536000", "--memory-limit", "1048576", "--aws-timeout", "0.5", "x.lua"],
            in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ran\n")
    }

    /// `run`'s options as its help lists them (`--help` aside, which scripts may have their own of).
    static var runOptions: [String] {
        let help = (try? CommandRunner.run(["run", "--help"]).stdout) ?? ""
        let pattern = try! NSRegularExpression(pattern: "--[a-z][a-z-]+")
        let names = pattern.matches(in: help, range: NSRange(help.startIndex..., in: help)).map {
            String(help[Range($0.range, in: help)!])
        }
        return Array(Set(names)).filter { $0 != "--help" && $0 != "--version" }.sorted()
    }

    @Test func runListsItsOptions() {
        #expect(
            Set(Self.runOptions).isSuperset(of: ["--endpoint-url", "--region", "--profile", "--timeout"]))
    }

    @Test(arguments: runOptions)
    func runRefusesItsOwnOptionsAfterTheScript(_ option: String) throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("s.lua", "print('ran', ...)\n")
        let value = option == "--verbose" ? [] : ["7"]
        for arguments in [
            ["run", "s.lua", "dev", option] + value,  // the fast path that parses no options
            ["run", "--lua-path", ".", "s.lua", option] + value,  // ArgumentParser's path
            ["run", "s.lua", value.isEmpty ? option : "\(option)=7"],
        ] {
            let result = try CommandRunner.run(arguments, in: directory.path)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(!result.stdout.contains("ran"), "\(arguments) ran the script")
            #expect(result.stderr.contains("'\(option)' after the script"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("go before the script"), "\(result.stderr)")
        }
    }

    @Test func theMessageShowsBothPlaces() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("s.lua", "print('ran', ...)\n")
        let result = try CommandRunner.run(
            ["run", "s.lua", "dev", "--endpoint-url", "http://127.0.0.1:8000"], in: directory.path)
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("sentinel-tables run --endpoint-url http://127.0.0.1:8000 s.lua dev"),
            "\(result.stderr)")
        #expect(
            result.stderr.contains("sentinel-tables run s.lua -- dev --endpoint-url http://127.0.0.1:8000"),
            "\(result.stderr)")
    }

    @Test(arguments: [
        ["run", "s.lua", "--", "--endpoint-url", "x"],
        ["run", "--lua-path", ".", "s.lua", "--", "--endpoint-url", "x"],
    ])
    func afterTheSeparatorTheyAreTheScripts(_ arguments: [String]) throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("s.lua", "print(select('#', ...), ...)\n")
        let result = try CommandRunner.run(arguments, in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "2\t--endpoint-url\tx\n")
    }
}

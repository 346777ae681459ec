import Foundation
import Testing

/// Mistakes on the command line and in scripts get the message and status docs/cli.md gives them.
@Suite struct UsageMessageTests {
    @Test func aMisspeltOptionIsNamedNotTakenForTheScript() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("s.lua", "return sentinel.table { name = 'abc', partition_key = 'id' }\n")
        let result = try CommandRunner.run(
            ["plan", "--endpont-url", "http://127.0.0.1:1", "s.lua"], in: directory.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Unknown option '--endpont-url'"), "\(result.stderr)")
        #expect(result.stderr.contains("Did you mean '--endpoint-url'?"))
        #expect(!result.stderr.contains("cannot read script"))
    }

    @Test func noCommandIsAUsageErrorAndHelpIsNot() throws {
        let bare = try CommandRunner.run([])
        #expect(bare.status == 2)
        #expect(bare.stdout.isEmpty, "\(bare.stdout)")
        #expect(bare.stderr.hasPrefix("Error: give a command\n"), "\(bare.stderr)")
        #expect(bare.stderr.contains("USAGE: sentinel-tables <subcommand>"), "\(bare.stderr)")
        let help = try CommandRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: sentinel-tables <subcommand>"), "\(help.stdout)")
    }

    @Test func aNumberOptionIsEchoedAsWrittenNotInSwiftsForm() throws {
        let huge = try CommandRunner.run(["apply", "s.lua", "--wait-timeout", "1e16"])
        #expect(huge.status == 2)
        #expect(huge.stderr.contains("got 10000000000000000 (a year is 31536000)"), "\(huge.stderr)")
        let nan = try CommandRunner.run(["apply", "s.lua", "--wait-timeout", "-nan"])
        #expect(nan.stderr.contains("got nan (a year"), "\(nan.stderr)")
    }

    @Test func aMisspeltCommandGetsASuggestion() throws {
        let result = try CommandRunner.run(["plna", "s.lua"])
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix("Error: unknown command 'plna' (did you mean 'plan'?)"),
            "\(result.stderr)")
    }

    @Test func aDirectoryAndAMissingScriptAreBothUsageErrors() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(
            atPath: directory.path + "/tables", withIntermediateDirectories: true)
        for arguments in [
            ["plan", "tables/"], ["plan", "nosuch.lua"], ["apply", "tables", "--yes"], ["schema", "tables"],
            ["import", "t", "items.json", "--create-from", "nosuch.lua"],
        ] {
            let result = try CommandRunner.run(arguments, in: directory.path)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("cannot read script"), "\(arguments): \(result.stderr)")
        }
    }

    /// A usage error found once the command runs (the script cannot be read, a built-in given
    /// arguments) shows that command's usage, as an unknown option does, not the top-level one.
    @Test(arguments: [
        (["run", "nonexist.lua"], "run"), (["schema", "sessions", "extra"], "schema"),
        (["iam", "nonexist.lua"], "iam"), (["plan", "nonexist.lua"], "plan"),
    ])
    func usageErrorsFoundLateShowTheirCommandsUsage(_ arguments: [String], _ command: String) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("\nUsage: sentinel-tables \(command) "), "\(result.stderr)")
        #expect(result.stderr.contains("See 'sentinel-tables \(command) --help'"), "\(result.stderr)")
        #expect(!result.stderr.contains("<subcommand>"), "\(result.stderr)")
    }

    @Test func iamNamesABuiltInsTableLikeSchemaDoes() throws {
        let result = try CommandRunner.run(["iam", "sessions", "--name", "s-prod"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("table/s-prod"), "\(result.stdout)")
    }

    @Test func aMalformedEndpointURLIsAUsageError() throws {
        let result = try CommandRunner.run(["status", "t", "--endpoint-url", "localhost:8000"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("--endpoint-url is not an http(s) URL: 'localhost:8000'"),
            "\(result.stderr)")
    }

    /// A returned schema with a misspelt field: that problem and the rules the schema breaks are all
    /// reported in one run, each `table 'NAME': path: message`.
    @Test func schemaProblemsComeInOnePassInTheDocumentedShape() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "bad.lua",
            """
            local s = sentinel.table { name = 'x', partition_key = 'id' }
            s.billng_mode = 'PROVISIONED'
            s.read_capacity = 5
            return s

            """)
        let result = try CommandRunner.run(["schema", "bad.lua"], in: directory.path)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.contains("table 'x': billng_mode: unknown field (did you mean 'billing_mode'?)\n"),
            "\(result.stderr)")
        #expect(result.stderr.contains("table 'x': read_capacity: "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("table 'x': ") })
    }
}

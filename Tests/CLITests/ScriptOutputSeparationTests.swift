import Foundation
import Testing

/// A script's `print` and `io.write` go to standard error whenever a command's standard output is meant
/// for another tool: `plan --json`, `apply --json`, `schema` (for `aws dynamodb create-table
/// --cli-input-json`) and `iam`. Standard output stays one JSON document.
@Suite struct ScriptOutputSeparationTests {
    /// A script that talks on every channel Lua gives it, then returns one table.
    private static func chattyScript(_ directory: ScriptDirectory, table: String) throws {
        try directory.write(
            "chatty.lua",
            """
            print("hello from print", 42)
            io.write("hello from io.write\\n")
            io.write("hello ", "from ", 3, "\\n")
            return sentinel.table { name = "\(table)", partition_key = { name = "id", type = "S" } }
            """)
    }

    private static func expectSeparated(_ result: CommandResult, _ command: String) {
        #expect(result.status == 0, "\(command): \(result.stderr)")
        #expect(
            (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil,
            "\(command): standard output is not JSON: \(result.stdout)")
        for line in ["hello from print\t42\n", "hello from io.write\n", "hello from 3\n"] {
            #expect(result.stderr.contains(line), "\(command): \(result.stderr)")
            #expect(!result.stdout.contains(line), "\(command): \(result.stdout)")
        }
    }

    @Test func schemaAndIAMPrintOnlyTheirDocument() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try Self.chattyScript(directory, table: "chatty")
        for arguments in [
            ["schema", "chatty.lua"], ["schema", "chatty.lua", "--format", "json"], ["iam", "chatty.lua"],
        ] {
            let result = try CommandRunner.run(arguments, in: directory.path)
            Self.expectSeparated(result, arguments.joined(separator: " "))
        }
        // `--format lua` writes a script for another run: the chatter stays out of it too.
        let lua = try CommandRunner.run(["schema", "chatty.lua", "--format", "lua"], in: directory.path)
        #expect(lua.status == 0, "\(lua.stderr)")
        #expect(!lua.stdout.contains("hello"), "\(lua.stdout)")
        #expect(lua.stderr.contains("hello from print\t42\n"), "\(lua.stderr)")
    }

    @Test func planAndApplyWithJSONPrintOnlyTheirReport() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try Self.chattyScript(directory, table: ExportImportTests.unique("chatty"))
        Self.expectSeparated(
            try LocalDynamoDB.tool(["plan", "chatty.lua", "--json"], in: directory.path), "plan")
        Self.expectSeparated(
            try CommandRunner.run(["plan", "chatty.lua", "--json", "--offline"], in: directory.path),
            "plan --offline")
        Self.expectSeparated(
            try LocalDynamoDB.tool(["apply", "chatty.lua", "--json", "--yes"], in: directory.path), "apply")
        // Without --json the report is for people: the script's output stays where a user expects it.
        let text = try LocalDynamoDB.tool(["plan", "chatty.lua"], in: directory.path)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("hello from print\t42\n"), "\(text.stdout)")
    }
}

import Foundation
import Testing

/// The completion scripts come from ArgumentParser and the command definitions; table names for
/// `status` and `delete` come from ListTables, through the protocol the scripts use
/// (`sentinel-tables ---completion COMMAND -- positional@0 WORD-INDEX CURSOR WORDS...`).
@Suite struct ShellCompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func everyShellGetsAScriptNamingEveryCommand(shell: String) throws {
        let result = try CommandRunner.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for command in [
            "run", "plan", "apply", "status", "delete", "schema", "iam", "repl", "whoami", "version",
        ] {
            #expect(result.stdout.contains(command), "\(shell): \(command)")
        }
        // The table-name completion is the tool's own, called back by the script.
        #expect(result.stdout.contains("---completion"), "\(shell)")
    }

    @Test func theBashScriptIsValidBash() throws {
        let script = try CommandRunner.run(["--generate-completion-script", "bash"]).stdout
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("completion.bash", script)
        let loaded = try CommandRunner.run(
            ["bash", "-c", "source completion.bash && complete -p sentinel-tables"], in: directory.path,
            executable: "/usr/bin/env")
        #expect(loaded.status == 0, "\(loaded.stderr)")
    }

    /// What the shell asks when Tab is pressed after `WORDS` (the last word being completed).
    static func complete(_ command: String, _ words: [String]) throws -> CommandResult {
        let last = words[words.count - 1]
        return try CommandRunner.run(
            ["---completion", command, "--", "positional@0", String(words.count - 1), String(last.count)]
                + words, environment: LocalDynamoDB.clientEnvironment, killAfter: .seconds(60))
    }

    @Test func statusAndDeleteCompleteTheTablesOfTheEndpointTyped() throws {
        let endpoint = try LocalDynamoDB.endpoint()
        let prefix = "cmpl-" + UUID().uuidString.prefix(8).lowercased() + "-"
        let tables = [prefix + "alpha", prefix + "beta", prefix + "gamma"]
        let pythonList = "[" + tables.map { "'\($0)'" }.joined(separator: ", ") + "]"
        _ = try LocalDynamoDB.boto3(
            """
            for name in \(pythonList):
                ddb.create_table(TableName=name, BillingMode='PAY_PER_REQUEST',
                    KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                    AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}])
            """)
        let status = try Self.complete(
            "status", ["sentinel-tables", "status", "--endpoint-url", endpoint, prefix])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.split(separator: "\n").map(String.init).sorted() == tables, "\(status.stdout)")
        // A table already on the line is not offered again; the option's `=` form is read too.
        let delete = try Self.complete(
            "delete", ["sentinel-tables", "delete", "--endpoint-url=\(endpoint)", tables[1], prefix + "a"])
        #expect(delete.status == 0, "\(delete.stderr)")
        #expect(delete.stdout == tables[0] + "\n", "\(delete.stdout)")
    }

    /// Completion runs on every Tab: with nothing listening it offers nothing and says nothing.
    @Test func anUnreachableEndpointCompletesNothingQuietly() throws {
        let result = try Self.complete(
            "status", ["sentinel-tables", "status", "--endpoint-url", "http://127.0.0.1:1", "sent"])
        #expect(result.status == 0)
        #expect(!result.killedBySignal)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "")
        #expect(result.stderr == "")
    }
}

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

    /// Issue 29: bash splits `--endpoint-url http://127.0.0.1:PORT` at each `:` (COMP_WORDBREAKS), so
    /// the completion sees `http`, `:`, `//127.0.0.1`, `:`, `PORT`. Driven through the generated bash
    /// script itself, as a user's Tab would.
    @Test func aURLThatBashSplitAtItsColonsStillCompletes() throws {
        let endpoint = try LocalDynamoDB.endpoint()
        let table = "cmpl-" + UUID().uuidString.prefix(8).lowercased() + "-colon"
        _ = try LocalDynamoDB.boto3(
            """
            ddb.create_table(TableName='\(table)', BillingMode='PAY_PER_REQUEST',
                KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}])
            """)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "completion.bash", try CommandRunner.run(["--generate-completion-script", "bash"]).stdout)
        let line = "sentinel-tables status --endpoint-url \(endpoint) \(table.prefix(14))"
        let driver = """
            source completion.bash
            COMP_LINE='\(line)'
            COMP_POINT=${#COMP_LINE}
            COMP_WORDBREAKS=$' \\t\\n"\\'><=;|&(:'
            # The words as bash splits them at the colons of the URL.
            read -r -a COMP_WORDS <<< "$(printf '%s' "$COMP_LINE" | sed 's/:/ : /g')"
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            function=$(complete -p sentinel-tables | sed -E 's/.*-F ([^ ]+).*/\\1/')
            "$function" sentinel-tables "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        try directory.write("drive.bash", driver)
        let binaryDirectory = CommandRunner.executable.deletingLastPathComponent().path
        var environment = LocalDynamoDB.clientEnvironment
        environment["PATH"] = binaryDirectory + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let result = try CommandRunner.run(
            ["bash", "drive.bash"], in: directory.path, environment: environment, executable: "/usr/bin/env",
            killAfter: .seconds(60))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").map(String.init).contains(table), "\(result.stdout)")
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

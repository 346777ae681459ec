import Foundation
import Testing

/// Issue 28's first rule: a command that only reads gets a client that cannot write. A script run by
/// `plan` that tries to write or delete, and `repl --read-only`, are refused before anything is sent;
/// boto3, an independent client, checks that nothing changed on the server.
@Suite struct ReadOnlyCommandTests {
    /// What a reading command may send (the proxy logs PartiQL as ExecuteStatement).
    static let reading: Set<String> = [
        "DescribeTable", "DescribeTimeToLive", "DescribeContinuousBackups", "ListTagsOfResource",
        "GetResourcePolicy", "ExecuteStatement", "ListTables", "Scan", "Query", "GetItem",
    ]

    static func unique() -> String { "ro" + UUID().uuidString.prefix(8).lowercased() }

    /// A table made by boto3 with one item, `id = "keep"`.
    static func makeVictim() throws -> String {
        let name = unique()
        _ = try LocalDynamoDB.boto3(
            """
            ddb.create_table(TableName='\(name)', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST')
            ddb.put_item(TableName='\(name)', Item={'id': {'S': 'keep'}})
            """)
        return name
    }

    /// The ids of the victim's items, or "gone" when the table no longer exists.
    static func items(of name: String) throws -> String {
        try LocalDynamoDB.boto3(
            """
            try:
                items = ddb.scan(TableName='\(name)')['Items']
                print(','.join(sorted(i['id']['S'] for i in items)))
            except ddb.exceptions.ResourceNotFoundException:
                print('gone')
            """)
    }

    /// Every way a script writes, each caught with pcall and printed, then the schema plan needs.
    static func writingScript(victim: String) -> String {
        """
        local function try(label, f, ...)
          local ok, err = pcall(f, ...)
          print(label, ok, err)
        end
        try("put", sentinel.db.put, "\(victim)", { id = "planted" })
        try("delete-item", sentinel.db.delete, "\(victim)", { id = "keep" })
        try("update", sentinel.db.update, "\(victim)", { id = "keep" }, { set = { x = 1 } })
        try("execute", sentinel.db.execute, "DELETE FROM \\"\(victim)\\" WHERE id = 'keep'")
        try("delete-table", sentinel.delete, "\(victim)", { confirm = true })
        try("apply", sentinel.apply, { sentinel.table { name = "\(victim)-new", partition_key = "id" } })
        print("select", pcall(sentinel.db.execute, "SELECT * FROM \\"\(victim)\\""))
        return { sentinel.table { name = "\(victim)", partition_key = "id" } }
        """
    }

    @Test func planRunsTheScriptWithAClientThatCannotWrite() throws {
        let victim = try Self.makeVictim()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("plan.lua", Self.writingScript(victim: victim))
        try directory.write(
            "co.lua", "return coroutine.wrap(function() \(Self.writingScript(victim: victim)) end)()")
        let proxy = try DelayProxy(delay: 0)
        for script in ["plan.lua", "co.lua"] {
            let result = try CommandRunner.run(
                ["plan", script, "--endpoint-url", proxy.endpoint], in: directory.path,
                environment: LocalDynamoDB.clientEnvironment)
            #expect(result.status == 0, "\(script): \(result.stderr)")
            for (label, operation) in [
                ("put", "PutItem"), ("delete-item", "DeleteItem"), ("update", "UpdateItem"),
                ("execute", "ExecuteStatement"), ("delete-table", "DeleteTable"), ("apply", "sentinel.apply"),
            ] {
                #expect(
                    result.stdout.contains("\(label)\tfalse\t")
                        && result.stdout.contains("plan cannot write: \(operation)"),
                    "\(script) \(label): \(result.stdout)")
            }
            #expect(result.stdout.contains("select\ttrue"), "\(result.stdout)")
            #expect(try Self.items(of: victim) == "keep\n", "\(script) changed the table")
            #expect(try Self.items(of: "\(victim)-new") == "gone\n", "\(script) created a table")
        }
        // At the proxy: every request that reached DynamoDB only read.
        let operations = Set(proxy.requests.map(\.operation))
        #expect(operations.contains("DescribeTable"), "\(operations)")
        #expect(
            operations.isSubset(of: Self.reading),
            "writes reached the server: \(operations.subtracting(Self.reading))")
    }

    /// `plan --offline` promises no AWS calls: a script's calls get none either (a review found its
    /// scan sent).
    @Test func anOfflinePlanGivesTheScriptNoAWS() throws {
        let victim = try Self.makeVictim()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "offline.lua",
            """
            print(pcall(sentinel.db.scan, "\(victim)"))
            return sentinel.table { name = "\(victim)", partition_key = "id" }
            """)
        let proxy = try DelayProxy(delay: 0)
        let result = try CommandRunner.run(
            ["plan", "offline.lua", "--offline", "--endpoint-url", proxy.endpoint], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("needs AWS access, which this script was not given"), "\(result.stdout)")
        #expect(proxy.requests.isEmpty, "\(proxy.requests)")
    }

    /// The caller line comes before the first request, the script's own included, once (a review
    /// found apply's script writing before the line was printed).
    @Test func applyAndPlanSayWhoIsActingBeforeTheScriptsFirstRequest() throws {
        let victim = try Self.makeVictim()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "first.lua",
            """
            pcall(sentinel.db.get, "\(victim)", { id = "keep" })
            return sentinel.table { name = "\(victim)", partition_key = "id" }
            """)
        for command in [["plan", "first.lua"], ["apply", "first.lua", "--yes"]] {
            let result = try LocalDynamoDB.tool(command + ["--verbose"], in: directory.path)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n").map(String.init)
            let caller = lines.firstIndex { $0.hasPrefix("account not checked") }
            let request = lines.firstIndex { $0.contains("DynamoDB request") }
            #expect(caller != nil && request != nil && caller! < request!, "\(command): \(result.stderr)")
            #expect(lines.filter { $0.hasPrefix("account not checked") }.count == 1, "\(result.stderr)")
        }
    }

    @Test func theREPLWithReadOnlyRefusesWritesAndStillReads() throws {
        let victim = try Self.makeVictim()
        let result = try CommandRunner.run(
            ["repl", "--read-only", "--endpoint-url", try LocalDynamoDB.endpoint()],
            stdin: """
                db.put("\(victim)", { id = "planted" })
                sentinel.delete("\(victim)", { confirm = true })
                =db.get("\(victim)", { id = "keep" }).id

                """,
            environment: LocalDynamoDB.clientEnvironment.merging(["XDG_STATE_HOME": "/tmp/ct-repl-state"]) {
                $1
            })
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("the REPL with --read-only cannot write: PutItem on '\(victim)'"),
            "\(result.stderr)")
        #expect(
            result.stderr.contains("the REPL with --read-only cannot write: DeleteTable"), "\(result.stderr)")
        // The read, and what it cost (the refused put sent nothing, so it cost nothing).
        #expect(result.stdout.hasPrefix("\"keep\"\n-- GetItem on \(victim): 1 request"), "\(result.stdout)")
        #expect(!result.stdout.contains("PutItem"))
        #expect(try Self.items(of: victim) == "keep\n")
    }

    /// Issue 29: `sentinel.apply` in `repl --read-only` printed `+ create table` (apply's progress, as if
    /// it were creating the table) before the client refused the CreateTable. It is refused before
    /// anything is planned or printed, and so is `sentinel.migrate`; `sentinel.plan` still reads.
    @Test func theREPLWithReadOnlyRefusesApplyBeforePrintingAStep() throws {
        let victim = try Self.makeVictim()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let result = try CommandRunner.run(
            ["repl", "--read-only", "--endpoint-url", try LocalDynamoDB.endpoint()], in: directory.path,
            stdin: """
                sentinel.apply(sentinel.table { name = "\(victim)-new", partition_key = "id" })
                sentinel.migrate { from = "\(victim)", to = sentinel.table { name = "\(victim)-v2", partition_key = "id" } }
                =sentinel.plan(sentinel.table { name = "\(victim)-new", partition_key = "id" })[1].actions[1].summary

                """,
            environment: LocalDynamoDB.clientEnvironment.merging(["XDG_STATE_HOME": "/tmp/ct-repl-state"]) {
                $1
            })
        #expect(result.status == 1)
        for function in ["sentinel.apply", "sentinel.migrate"] {
            #expect(
                result.stderr.contains(
                    "the REPL with --read-only cannot write: \(function) was refused before anything was sent; "
                        + "nothing was changed"),
                "\(result.stderr)")
        }
        #expect(!result.stderr.contains("create table"), "\(result.stderr)")
        #expect(result.stdout == "\"create table\"\n", "\(result.stdout)")
        #expect(try Self.items(of: "\(victim)-new") == "gone\n")
        #expect(try Self.items(of: "\(victim)-v2") == "gone\n")
        // Not even migrate's checkpoint files, which it saves before creating the new table.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func theREPLWithoutReadOnlyStillWrites() throws {
        let victim = try Self.makeVictim()
        let result = try CommandRunner.run(
            ["repl", "--endpoint-url", try LocalDynamoDB.endpoint()],
            stdin: "db.put(\"\(victim)\", { id = \"planted\" })\n",
            environment: LocalDynamoDB.clientEnvironment.merging(["XDG_STATE_HOME": "/tmp/ct-repl-state"]) {
                $1
            })
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.items(of: victim) == "keep,planted\n")
    }
}

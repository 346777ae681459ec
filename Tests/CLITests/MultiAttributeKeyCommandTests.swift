import Foundation
import Testing

/// A GSI keyed `tenant + region / created_at` (DynamoDB's multi-attribute keys) through the tool against
/// the local server: created with every element (checked by boto3), shown exactly by status and the
/// schema formats, adopted back by `schema --from-table` into a script that is up to date, and a script
/// that narrows the key to `region` is a change, never "up to date".
@Suite struct MultiAttributeKeyCommandTests {
    static func script(table: String, partitionKey: String) -> String {
        """
        return sentinel.table {
          name = "\(table)", partition_key = "id",
          gsis = { { name = "gsi-tenant", partition_key = \(partitionKey), sort_key = "created_at" } },
        }
        """
    }

    @Test func applyStatusAdoptAndPlan() throws {
        let table = "mak" + UUID().uuidString.prefix(8).lowercased()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("tenant.lua", Self.script(table: table, partitionKey: #"{ "tenant", "region" }"#))
        try directory.write("region.lua", Self.script(table: table, partitionKey: #""region""#))

        let request = try LocalDynamoDB.tool(["schema", directory.path + "/tenant.lua"])
        #expect(request.status == 0, "\(request.stderr)")
        #expect(
            request.stdout.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")
                .contains(
                    #""KeySchema":[{"AttributeName":"tenant","KeyType":"HASH"},{"AttributeName":"region","KeyType":"HASH"},{"AttributeName":"created_at","KeyType":"RANGE"}]"#
                ), "\(request.stdout)")

        let apply = try LocalDynamoDB.tool(["apply", directory.path + "/tenant.lua", "--yes"])
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        let keySchema = try LocalDynamoDB.boto3(
            """
            index = ddb.describe_table(TableName='\(table)')['Table']['GlobalSecondaryIndexes'][0]
            print(json.dumps([[e['AttributeName'], e['KeyType']] for e in index['KeySchema']]))
            """)
        #expect(
            keySchema.trimmingCharacters(in: .whitespacesAndNewlines)
                == #"[["tenant", "HASH"], ["region", "HASH"], ["created_at", "RANGE"]]"#)

        let status = try LocalDynamoDB.tool(["status", table])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(
            status.stdout.contains("gsi-tenant [ACTIVE] tenant (S) + region (S), created_at (S); ALL"),
            "\(status.stdout)")
        #expect(!status.stdout.contains("not managed"), "\(status.stdout)")
        let statusJSON = try LocalDynamoDB.tool(["status", table, "--json"])
        #expect(statusJSON.stdout.contains(#""tenant""#) && statusJSON.stdout.contains(#""region""#))

        let upToDate = try LocalDynamoDB.tool(["plan", directory.path + "/tenant.lua", "--detailed-exitcode"])
        #expect(
            upToDate.status == 0 && upToDate.stdout.contains("\(table): up to date"), "\(upToDate.stdout)")

        let adopted = try FromTableCommandTests.planOfGeneratedScriptIsEmpty([table])
        #expect(
            adopted.contains(#"{ name = "tenant", type = "S" }, { name = "region", type = "S" }"#),
            "\(adopted)")

        // The data functions do not query such an index yet: they refuse rather than ask for the first
        // attribute alone (a different question), plainly and from a coroutine.
        try directory.write(
            "query.lua",
            """
            print(pcall(sentinel.db.query, "\(table)", { index = "gsi-tenant", where = { tenant = "a" } }))
            print(coroutine.wrap(function()
              return pcall(sentinel.db.query, "\(table)", { index = "gsi-tenant", where = { tenant = "a" } })
            end)())
            """)
        let query = try CommandRunner.run(
            ["run", "--endpoint-url", try LocalDynamoDB.endpoint(), "query.lua"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(
            query.stdout.components(
                separatedBy: "is keyed by several attributes (tenant + region / created_at)"
            )
            .count == 3, "\(query.stdout)\(query.stderr)")

        // The issue's reproduction: this used to answer "up to date".
        let narrowed = try LocalDynamoDB.tool(["plan", directory.path + "/region.lua", "--detailed-exitcode"])
        #expect(narrowed.status == 2, "\(narrowed.stdout)\n\(narrowed.stderr)")
        #expect(!narrowed.stdout.contains("up to date,") || narrowed.stdout.contains("0 up to date"))
        #expect(narrowed.stdout.contains("delete index gsi-tenant (to recreate it)"), "\(narrowed.stdout)")
        #expect(
            narrowed.stdout.contains("create index gsi-tenant (region, created_at; ALL)"),
            "\(narrowed.stdout)")
    }
}

/// A table whose description holds what the model does not manage (the version of a legacy 2017.11.29
/// global table, added by the delay proxy since moto has none): `status` names it, `schema --from-table` names it on stderr,
/// `plan` of the adopted script is blocked on it rather than "up to date", and `apply` leaves the table alone.
@Suite struct UnmanagedShapeCommandTests {
    @Test func anUnknownMemberIsNamedAndNeverUpToDate() throws {
        let table = "unm" + UUID().uuidString.prefix(8).lowercased()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "t.lua", #"return sentinel.table { name = "\#(table)", partition_key = "id" }"#)
        let apply = try LocalDynamoDB.tool(["apply", directory.path + "/t.lua", "--yes"])
        #expect(apply.status == 0, "\(apply.stderr)")

        let version = #""2017.11.29""#
        let proxy = try DelayProxy(
            delay: 0, arguments: ["--describe-member", "GlobalTableVersion=" + version])
        func tool(_ arguments: [String]) throws -> CommandResult {
            try CommandRunner.run(
                arguments + ["--endpoint-url", proxy.endpoint], environment: LocalDynamoDB.clientEnvironment)
        }
        let status = try tool(["status", table])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(
            status.stdout.contains("  not managed: Table.GlobalTableVersion = \(version)"), "\(status.stdout)"
        )

        let adopted = try tool(["schema", "--from-table", table])
        #expect(adopted.status == 0, "\(adopted.stderr)")
        #expect(
            adopted.stderr.contains(
                "table '\(table)': not managed, left out of the schema: Table.GlobalTableVersion"))
        try directory.write("adopted.lua", adopted.stdout)
        let plan = try tool(["plan", directory.path + "/adopted.lua", "--detailed-exitcode"])
        #expect(plan.status == 1, "\(plan.stdout)\n\(plan.stderr)")
        #expect(!plan.stdout.contains("\(table): up to date"), "\(plan.stdout)")
        #expect(
            plan.stdout.contains("! not managed: Table.GlobalTableVersion = \(version)"), "\(plan.stdout)")

        let refused = try tool(["apply", directory.path + "/t.lua", "--yes"])
        #expect(refused.status != 0, "\(refused.stdout)\n\(refused.stderr)")
        #expect(!proxy.requests.contains { $0.operation == "UpdateTable" })
    }
}

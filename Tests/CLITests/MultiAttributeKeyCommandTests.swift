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

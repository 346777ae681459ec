import Foundation
import Testing

/// Warm throughput against moto (which keeps `WarmThroughput` on tables and GSIs), checked with boto3:
/// set on create, raised by apply, shown by status; a lower value is refused by the plan before any
/// request (moto would lower it; AWS does not, see WarmThroughputTests).
@Suite struct WarmThroughputCommandTests {
    static func warm(_ table: String) throws -> String {
        try LocalDynamoDB.boto3(
            """
            t = ddb.describe_table(TableName='\(table)')['Table']
            w, g = t['WarmThroughput'], t['GlobalSecondaryIndexes'][0]['WarmThroughput']
            print(w.get('ReadUnitsPerSecond'), w.get('WriteUnitsPerSecond'), g.get('ReadUnitsPerSecond'))
            """
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func createdRaisedShownAndNeverLowered() throws {
        let name = "wt" + UUID().uuidString.prefix(8).lowercased()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        func script(read: Int, indexRead: Int) throws -> String {
            try directory.write(
                "t.lua",
                """
                return sentinel.table { name = '\(name)', partition_key = 'id',
                  warm_throughput = { read_units = \(read), write_units = 5000 },
                  gsis = { { name = 'by-sku', partition_key = 'sku', warm_throughput = { read_units = \(indexRead) } } } }

                """)
            return directory.path + "/t.lua"
        }
        let created = try LocalDynamoDB.tool(["apply", try script(read: 15000, indexRead: 13000), "--yes"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try Self.warm(name) == "15000 5000 13000")

        let plan = try LocalDynamoDB.tool(["plan", try script(read: 30000, indexRead: 14000)])
        #expect(
            plan.stdout.contains(
                "warm throughput -> 30000 read, 5000 write, by-sku warm throughput -> 14000 read"),
            "\(plan.stdout)")
        let raised = try LocalDynamoDB.tool(["apply", try script(read: 30000, indexRead: 14000), "--yes"])
        #expect(raised.status == 0, "\(raised.stderr)")
        #expect(try Self.warm(name) == "30000 5000 14000")
        let status = try LocalDynamoDB.tool(["status", name])
        #expect(status.stdout.contains("warm        30000 read"), "\(status.stdout)")

        let lowered = try LocalDynamoDB.tool(["plan", try script(read: 20000, indexRead: 14000)])
        #expect(lowered.status == 1)
        #expect(
            lowered.stdout.contains(
                "warm_throughput.read_units: the table has 30000, the schema wants 20000 (DynamoDB can only increase"
            ),
            "\(lowered.stdout)")
        let refused = try LocalDynamoDB.tool(["apply", try script(read: 20000, indexRead: 14000), "--yes"])
        #expect(refused.status != 0)
        #expect(try Self.warm(name).hasPrefix("30000 "))
    }
}

import Foundation
import Testing

/// Warm throughput against moto (which keeps `WarmThroughput` on tables and GSIs), checked with boto3:
/// set on create, raised by apply, shown by status; a lower value is refused by the plan before any
/// request (moto would lower it; AWS does not, see WarmThroughputTests). Through the delay proxy, whose
/// DescribeLimits reports DynamoDB's per-table quota (40,000 each; moto says 10,000) and refuses warm
/// throughput above it: a value above the quota is blocked by the plan before any request.
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
        let proxy = try DelayProxy(delay: 0, arguments: ["--table-quota", "us-east-1=35000/40000"])
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        func tool(_ arguments: [String]) throws -> CommandResult {
            try proxy.tool(arguments, in: directory.path)
        }
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
        let created = try tool(["apply", try script(read: 15000, indexRead: 13000), "--yes"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try Self.warm(name) == "15000 5000 13000")

        let plan = try tool(["plan", try script(read: 30000, indexRead: 14000)])
        #expect(
            plan.stdout.contains(
                "warm throughput 15000 read, 5000 write -> 30000 read, 5000 write, by-sku warm throughput "
                    + "13000 read -> 14000 read"),
            "\(plan.stdout)")
        let raised = try tool(["apply", try script(read: 30000, indexRead: 14000), "--yes"])
        #expect(raised.status == 0, "\(raised.stderr)")
        #expect(try Self.warm(name) == "30000 5000 14000")
        let status = try tool(["status", name])
        #expect(status.stdout.contains("warm        30000 read"), "\(status.stdout)")

        let lowered = try tool(["plan", try script(read: 20000, indexRead: 14000)])
        #expect(lowered.status == 1)
        #expect(
            lowered.stdout.contains(
                "warm_throughput.read_units: the table has 30000, the schema wants 20000 (DynamoDB can only increase"
            ),
            "\(lowered.stdout)")
        let refused = try tool(["apply", try script(read: 20000, indexRead: 14000), "--yes"])
        #expect(refused.status != 0)
        #expect(try Self.warm(name).hasPrefix("30000 "))

        // Above the region's quota (35,000 read here): blocked by the plan, nothing sent.
        let updates = proxy.requests.filter { $0.operation == "UpdateTable" }.count
        let above = try tool(["apply", try script(read: 36000, indexRead: 14000), "--yes"])
        #expect(above.status == 1)
        #expect(
            (above.stdout + above.stderr).contains(
                "warm_throughput.read_units: the table has a quota of 35000 in us-east-1, the schema wants 36000"
            ),
            "\(above.stdout)\n\(above.stderr)")
        #expect(proxy.requests.filter { $0.operation == "UpdateTable" }.count == updates)
        #expect(try Self.warm(name).hasPrefix("30000 "))
    }
}

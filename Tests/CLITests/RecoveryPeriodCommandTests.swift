import Foundation
import Testing

/// The point-in-time recovery period against moto (which keeps `RecoveryPeriodInDays`), checked with
/// boto3: set on create, changed, shown by status, read back by `schema --from-table`, turned off.
@Suite struct RecoveryPeriodCommandTests {
    static func period(_ table: String) throws -> String {
        try LocalDynamoDB.boto3(
            """
            d = ddb.describe_continuous_backups(TableName='\(table)')['ContinuousBackupsDescription']
            p = d['PointInTimeRecoveryDescription']
            print(p['PointInTimeRecoveryStatus'], p.get('RecoveryPeriodInDays') if p['PointInTimeRecoveryStatus'] == 'ENABLED' else '-')
            """
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func addedChangedShownAdoptedAndRemoved() throws {
        let table = "rp" + UUID().uuidString.prefix(8).lowercased()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        func script(_ recovery: String) throws -> String {
            try directory.write(
                "t.lua",
                "return sentinel.table { name = '\(table)', partition_key = 'id', point_in_time_recovery = \(recovery) }\n"
            )
            return directory.path + "/t.lua"
        }
        let created = try LocalDynamoDB.tool(["apply", try script("{ recovery_period_days = 7 }"), "--yes"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try Self.period(table) == "ENABLED 7")
        let status = try LocalDynamoDB.tool(["status", table])
        #expect(status.stdout.contains("point-in-time recovery on (7 days)"), "\(status.stdout)")

        let plan = try LocalDynamoDB.tool([
            "plan", try script("{ enabled = true, recovery_period_days = 20 }"),
        ])
        #expect(plan.stdout.contains("point-in-time recovery period 7 -> 20 days"), "\(plan.stdout)")
        let changed = try LocalDynamoDB.tool([
            "apply", try script("{ enabled = true, recovery_period_days = 20 }"), "--yes",
        ])
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(try Self.period(table) == "ENABLED 20")

        let adopted = try LocalDynamoDB.tool(["schema", "--from-table", table])
        #expect(adopted.stdout.contains("recovery_period_days = 20"), "\(adopted.stdout)")
        try directory.write("adopted.lua", adopted.stdout)
        let empty = try LocalDynamoDB.tool(["plan", directory.path + "/adopted.lua", "--detailed-exitcode"])
        #expect(empty.status == 0, "\(empty.stdout)")

        let removed = try LocalDynamoDB.tool(["apply", try script("false"), "--yes"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(try Self.period(table) == "DISABLED -")
    }
}

import FakeDynamoDB
import JSON
import Provisioning
import Schema
import Testing

/// `warm_throughput = { read_units, write_units }` on the table and each GSI: raised in place, never
/// lowered (a lower value is a blocked change with DynamoDB's reason), a side left out left alone.
/// Against moto in WarmThroughputCommandTests; moto lowers it when asked, which AWS does not, so the
/// refusal is the plan's own and is shown here.
@Suite struct WarmThroughputTests {
    static var schema: TableSchema {
        TableSchema(
            name: "launch", partitionKey: .string("id"),
            globalSecondaryIndexes: [
                GlobalSecondaryIndex(
                    name: "by-sku", partitionKey: .string("sku"),
                    warmThroughput: WarmThroughput(readUnits: 20000))
            ],
            warmThroughput: WarmThroughput(readUnits: 15000, writeUnits: 5000))
    }

    static func live(table: WarmThroughput?, index: WarmThroughput?) -> LiveTable {
        var live = liveTable(matching: schema)
        live.warmThroughput = table
        live.globalSecondaryIndexes[0].index.warmThroughput = index
        return live
    }

    @Test func validationAndCreation() {
        var schema = Self.schema
        schema.warmThroughput = WarmThroughput(readUnits: 0)
        schema.globalSecondaryIndexes[0].warmThroughput = WarmThroughput()
        #expect(
            Set(schema.validate().map(\.path)) == ["warm_throughput.read_units", "gsis[1].warm_throughput"])
        let request = Self.schema.createTableRequest()
        #expect(request["WarmThroughput"] == ["ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 5000])
        #expect(request["GlobalSecondaryIndexes"]?[0]?["WarmThroughput"] == ["ReadUnitsPerSecond": 20000])
        #expect(
            Self.schema.schemaDocument()["warm_throughput"] == ["read_units": 15000, "write_units": 5000])
    }

    @Test func anIncreaseIsOneSettingsUpdateOfTheSidesRaised() {
        let live = Self.live(
            table: WarmThroughput(readUnits: 12000, writeUnits: 5000),
            index: WarmThroughput(readUnits: 12000, writeUnits: 4000))
        let plan = TableDiff.plan(Self.schema, live: live)
        #expect(plan.blocked.isEmpty)
        let change = SettingsChange(throughput: [
            ThroughputChange(
                field: "warm_throughput", from: live.warmThroughput?.units,
                to: WarmThroughput(readUnits: 15000, writeUnits: 5000).units),
            ThroughputChange(
                field: "warm_throughput", index: "by-sku",
                from: WarmThroughput(readUnits: 12000, writeUnits: 4000).units,
                to: WarmThroughput(readUnits: 20000).units),
        ])
        #expect(plan.steps == [.updateSettings(change)])
        #expect(
            plan.steps.first?.summary
                == "warm throughput 12000 read, 5000 write -> 15000 read, 5000 write, by-sku warm throughput "
                + "12000 read -> 20000 read")
        #expect(
            StepRequests.requests(for: plan.steps[0], schema: Self.schema, arn: "").first?.body == [
                "TableName": "launch",
                "WarmThroughput": ["ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 5000],
                "GlobalSecondaryIndexUpdates": [
                    ["Update": ["IndexName": "by-sku", "WarmThroughput": ["ReadUnitsPerSecond": 20000]]]
                ],
            ])
        let equal = Self.live(
            table: WarmThroughput(readUnits: 15000, writeUnits: 5000), index: WarmThroughput(readUnits: 20000)
        )
        #expect(TableDiff.plan(Self.schema, live: equal).steps.isEmpty)
        var unsaid = Self.schema
        unsaid.warmThroughput = nil
        unsaid.globalSecondaryIndexes[0].warmThroughput = nil
        #expect(TableDiff.plan(unsaid, live: live).steps.isEmpty)
    }

    @Test func aDecreaseIsBlockedWithDynamoDBsReason() {
        let live = Self.live(
            table: WarmThroughput(readUnits: 30000, writeUnits: 5000), index: WarmThroughput(readUnits: 25000)
        )
        let plan = TableDiff.plan(Self.schema, live: live)
        #expect(
            plan.blocked == [
                BlockedChange(
                    field: "warm_throughput.read_units", live: "30000", wanted: "15000",
                    reason: DynamoDBRules.warmThroughputDecreaseReason),
                BlockedChange(
                    field: "gsis[1].warm_throughput.read_units", live: "25000", wanted: "20000",
                    reason: DynamoDBRules.warmThroughputDecreaseReason),
            ])
        #expect(plan.blocked.first?.description.contains("can only increase warm throughput") == true)
    }

    @Test func readFromDescribeTableAndWaitedForWhileUpdating() throws {
        let response = try JSONValue(
            parsing: """
                {"Table": {"TableName": "t", "TableStatus": "ACTIVE", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                 "WarmThroughput": {"ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 4000, "Status": "UPDATING"}}}
                """)
        let live = try LiveTable(describeTable: response)
        #expect(live.warmThroughput == WarmThroughput(readUnits: 15000, writeUnits: 4000))
        #expect(!live.isSettled)
        #expect(live.schema.warmThroughput == nil)
        #expect(
            StatusReport.text(name: "t", live).contains("warm        15000 read, 4000 write units per second")
        )
    }

    @Test func applyRaisesItAndRefusesToLowerIt() async throws {
        let fake = FakeDynamoDB(transitionPolls: 1)
        let provisioner = Provisioner(controlPlane: fake, waitPolicy: ApplyTests.fastWaits)
        var schema = Self.schema
        #expect(await provisioner.apply([schema]).first?.status == .created)
        #expect(try await provisioner.plan([schema]).first?.get().isUpToDate == true)
        schema.warmThroughput = WarmThroughput(readUnits: 40000)
        let raised = try #require(await provisioner.apply([schema]).first)
        #expect(raised.status == .updated, "\(String(describing: raised.error))")
        let status = try #require(try await provisioner.status(["launch"]).first?.get())
        #expect(status.warmThroughput == WarmThroughput(readUnits: 40000, writeUnits: 5000))
        schema.warmThroughput = WarmThroughput(readUnits: 20000)
        let lowered = try #require(await provisioner.apply([schema]).first)
        #expect(lowered.status == .failed)
        #expect(String(describing: lowered.error).contains("warm_throughput.read_units"))
    }
}

import FakeDynamoDB
import JSON
import Provisioning
import Schema
import Testing

/// `on_demand_throughput = { max_read, max_write }` on the table and each GSI: validated, created,
/// planned, requested and applied. moto 5 accepts `OnDemandThroughput` but leaves it out of
/// DescribeTable, so apply cannot be shown converging there: it is shown here against the in-memory
/// control plane, which reports it as DynamoDB does, and BotocoreParityTests checks the requests.
@Suite struct OnDemandThroughputTests {
    static var schema: TableSchema {
        TableSchema(
            name: "orders", partitionKey: .string("id"),
            globalSecondaryIndexes: [
                GlobalSecondaryIndex(
                    name: "by-state", partitionKey: .string("state"),
                    onDemandThroughput: OnDemandThroughput(maxRead: 50))
            ],
            onDemandThroughput: OnDemandThroughput(maxRead: 100, maxWrite: 40))
    }

    @Test func validationNamesEachMistakeByPath() {
        var schema = Self.schema
        schema.onDemandThroughput = OnDemandThroughput(maxRead: 0)
        schema.globalSecondaryIndexes[0].onDemandThroughput = OnDemandThroughput()
        let paths = Set(schema.validate().map(\.path))
        #expect(paths == ["on_demand_throughput.max_read", "gsis[1].on_demand_throughput"])
        var provisioned = Self.schema
        provisioned.billingMode = .provisioned
        provisioned.readCapacity = 1
        provisioned.writeCapacity = 1
        provisioned.globalSecondaryIndexes[0].readCapacity = 1
        provisioned.globalSecondaryIndexes[0].writeCapacity = 1
        #expect(
            Set(provisioned.validate().map(\.message)) == [
                "on-demand throughput is only allowed with billing mode PAY_PER_REQUEST"
            ])
        #expect(Self.schema.validate().isEmpty)
    }

    @Test func createTableCarriesTheLimitsGiven() {
        let request = Self.schema.createTableRequest()
        #expect(request["OnDemandThroughput"] == ["MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 40])
        #expect(request["GlobalSecondaryIndexes"]?[0]?["OnDemandThroughput"] == ["MaxReadRequestUnits": 50])
        #expect(
            Self.schema.schemaDocument()["on_demand_throughput"] == ["max_read": 100, "max_write": 40])
        #expect(Self.schema.schemaDocument()["gsis"]?[0]?["on_demand_throughput"] == ["max_read": 50])
    }

    @Test func changesAndRemovalsAreOneSettingsUpdate() {
        var live = liveTable(matching: Self.schema)
        #expect(TableDiff.plan(Self.schema, live: live).steps.isEmpty)
        live.onDemandThroughput = nil
        live.globalSecondaryIndexes[0].index.onDemandThroughput = OnDemandThroughput(maxRead: 10)
        var wanted = Self.schema
        wanted.globalSecondaryIndexes[0].onDemandThroughput = nil
        let plan = TableDiff.plan(wanted, live: live)
        let change = SettingsChange(throughput: [
            ThroughputChange(field: "on_demand_throughput", from: nil, to: wanted.onDemandThroughput?.units),
            ThroughputChange(
                field: "on_demand_throughput", index: "by-state", from: OnDemandThroughput(maxRead: 10).units,
                to: nil),
        ])
        #expect(plan.steps == [.updateSettings(change)])
        #expect(
            plan.steps.first?.summary
                == "on-demand maximum none -> 100 read, 40 write, by-state on-demand maximum 10 read -> none")
        let requests = StepRequests.requests(for: plan.steps[0], schema: wanted, arn: "")
        #expect(requests.map(\.operation) == ["UpdateTable"])
        #expect(
            requests.first?.body == [
                "TableName": "orders",
                "OnDemandThroughput": ["MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 40],
                "GlobalSecondaryIndexUpdates": [
                    [
                        "Update": [
                            "IndexName": "by-state",
                            "OnDemandThroughput": ["MaxReadRequestUnits": -1, "MaxWriteRequestUnits": -1],
                        ]
                    ]
                ],
            ])
    }

    @Test func minusOneIsNoLimitWhenRead() throws {
        let response = try JSONValue(
            parsing: """
                {"Table": {"TableName": "t", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                 "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
                 "OnDemandThroughput": {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": 7},
                 "GlobalSecondaryIndexes": [{"IndexName": "g", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                   "Projection": {"ProjectionType": "ALL"},
                   "OnDemandThroughput": {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": -1}}]}}
                """)
        let live = try LiveTable(describeTable: response)
        #expect(live.onDemandThroughput == OnDemandThroughput(maxWrite: 7))
        #expect(live.globalSecondaryIndexes.first?.index.onDemandThroughput == nil)
        #expect(live.schema.onDemandThroughput == OnDemandThroughput(maxWrite: 7))
        #expect(StatusReport.text(name: "t", live).contains("billing     PAY_PER_REQUEST (at most 7 write)"))
        #expect(StatusReport.json(name: "t", live)["on_demand_throughput"] == ["max_write": 7])
    }

    @Test func applyAddsChangesAndRemovesTheLimits() async throws {
        let fake = FakeDynamoDB(transitionPolls: 1)
        let provisioner = Provisioner(controlPlane: fake, waitPolicy: ApplyTests.fastWaits)
        var schema = Self.schema
        #expect(await provisioner.apply([schema]).first?.status == .created)
        #expect(try await provisioner.plan([schema]).first?.get().isUpToDate == true)
        schema.onDemandThroughput = OnDemandThroughput(maxRead: 200)
        schema.globalSecondaryIndexes[0].onDemandThroughput = OnDemandThroughput(maxRead: 60, maxWrite: 5)
        #expect(await provisioner.apply([schema]).first?.status == .updated)
        #expect(try await provisioner.plan([schema]).first?.get().isUpToDate == true)
        let status = try #require(try await provisioner.status(["orders"]).first?.get())
        #expect(status.onDemandThroughput == OnDemandThroughput(maxRead: 200))
        schema.onDemandThroughput = nil
        schema.globalSecondaryIndexes[0].onDemandThroughput = nil
        let removed = try #require(await provisioner.apply([schema]).first)
        #expect(removed.status == .updated, "\(String(describing: removed.error))")
        let after = try #require(try await provisioner.status(["orders"]).first?.get())
        #expect(after.onDemandThroughput == nil)
        #expect(after.globalSecondaryIndexes.first?.index.onDemandThroughput == nil)
    }
}

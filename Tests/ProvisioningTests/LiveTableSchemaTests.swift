import JSON
import Provisioning
import Schema
import Testing

/// The schema read back from a live table (`schema --from-table`) plans nothing against that table,
/// whatever settings it has, and keeps what a schema may say.
@Suite struct LiveTableSchemaTests {
    static var tables: [TableSchema] {
        var provisioned = TableSchema(
            name: "orders", partitionKey: .string("pk"), sortKey: .number("sk"),
            globalSecondaryIndexes: [
                GlobalSecondaryIndex(
                    name: "by-customer", partitionKey: .string("customer"), sortKey: .number("sk"),
                    projection: .include(["total", "state"]), readCapacity: 2, writeCapacity: 3),
                GlobalSecondaryIndex(
                    name: "by-state", partitionKey: .binary("state_key"), projection: .keysOnly,
                    readCapacity: 1, writeCapacity: 1),
            ],
            localSecondaryIndexes: [
                LocalSecondaryIndex(name: "by-created", sortKey: .string("created"), projection: .keysOnly)
            ],
            billingMode: .provisioned, readCapacity: 5, writeCapacity: 7, ttlAttribute: "expires",
            deletionProtection: true, pointInTimeRecovery: true, stream: .newAndOldImages,
            tableClass: .standardInfrequentAccess, tags: ["team": "payments", "cost centre": "42"])
        provisioned.encryption = .awsManagedKMS
        let limited = TableSchema(
            name: "limited", partitionKey: .string("id"),
            globalSecondaryIndexes: [
                GlobalSecondaryIndex(
                    name: "by-x", partitionKey: .string("x"),
                    onDemandThroughput: OnDemandThroughput(maxWrite: 9))
            ],
            onDemandThroughput: OnDemandThroughput(maxRead: 100, maxWrite: 50), pointInTimeRecovery: true,
            recoveryPeriodDays: 7)
        return BuiltInSchema.allCases.map { $0.schema() } + [
            provisioned, limited, TableSchema(name: "plain", partitionKey: .number("n")),
        ]
    }

    @Test(arguments: tables)
    func schemaOfALiveTablePlansNothingAgainstIt(_ wanted: TableSchema) {
        let live = liveTable(matching: wanted)
        let schema = live.schema
        #expect(schema.validate().isEmpty)
        let plan = TableDiff.plan(schema, live: live)
        #expect(plan.steps.isEmpty && plan.blocked.isEmpty, "\(plan.steps.map(\.summary))")
        #expect(schema == wanted)
    }

    /// DynamoDB reports the same key ARN for the AWS-managed key and a customer key: the schema says
    /// KMS (which plans nothing against either) and the ARN stays available to be mentioned.
    @Test func kmsKeyIsKeptAsACandidate() {
        let arn = "arn:aws:kms:us-east-1:123456789012:key/abc"
        var live = liveTable(matching: TableSchema(name: "t1x", partitionKey: .string("id")))
        live.encryption = LiveEncryption(type: .kms, keyARN: arn)
        #expect(live.schema.encryption == .awsManagedKMS)
        #expect(live.customerKeyCandidate == arn)
        #expect(TableDiff.plan(TableSchema.customer(arn), live: live).steps.isEmpty)
    }

    /// TTL on its way somewhere counts as there; `aws:` tags are AWS's and left out; a provisioned
    /// capacity reported for an on-demand table is not a setting.
    @Test func transitionsAndAWSOwnedValuesAreNormalised() {
        var live = liveTable(matching: TableSchema(name: "t2x", partitionKey: .string("id")))
        live.timeToLive = LiveTimeToLive(status: "ENABLING", attribute: "exp")
        live.tags = ["aws:cloudformation:stack-name": "s", "team": "x"]
        live.readCapacity = 0
        live.writeCapacity = 0
        let schema = live.schema
        #expect(schema.ttlAttribute == "exp")
        #expect(schema.tags == ["team": "x"])
        #expect(schema.readCapacity == nil && schema.writeCapacity == nil)
        #expect(schema.validate().isEmpty)
        live.timeToLive = LiveTimeToLive(status: "DISABLING", attribute: "exp")
        #expect(live.schema.ttlAttribute == nil)
    }
}

extension TableSchema {
    fileprivate static func customer(_ key: String) -> TableSchema {
        TableSchema(name: "t1x", partitionKey: .string("id"), encryption: .customerKey(key))
    }
}

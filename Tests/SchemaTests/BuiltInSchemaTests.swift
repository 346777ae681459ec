import Schema
import Testing

/// Parity with DESIGN.md's table and Sentinel's `infrastructure/schema_test.go`.
@Suite struct BuiltInSchemaTests {
    /// (index name, partition key, sort key), in Sentinel's order.
    static let expectedIndexes: [BuiltInSchema: [(String, String, String)]] = [
        .approvals: [
            ("gsi-requester", "requester", "created_at"), ("gsi-status", "status", "created_at"),
            ("gsi-profile", "profile", "created_at"),
        ],
        .breakglass: [
            ("gsi-invoker", "invoker", "created_at"), ("gsi-status", "status", "created_at"),
            ("gsi-profile", "profile", "created_at"),
        ],
        .sessions: [
            ("gsi-user", "user", "created_at"), ("gsi-status", "status", "created_at"),
            ("gsi-profile", "profile", "created_at"), ("gsi-server-instance", "server_instance_id", "status"),
        ],
    ]

    @Test func defaultTableNames() {
        #expect(BuiltInSchema.approvals.defaultTableName == "sentinel-requests")
        #expect(BuiltInSchema.breakglass.defaultTableName == "sentinel-breakglass")
        #expect(BuiltInSchema.sessions.defaultTableName == "sentinel-sessions")
        #expect(BuiltInSchema.allCases.map(\.rawValue) == ["approvals", "breakglass", "sessions"])
        #expect(BuiltInSchema(rawValue: "sessions") == .sessions)
    }

    @Test(arguments: BuiltInSchema.allCases)
    func sharedSettings(builtIn: BuiltInSchema) {
        let schema = builtIn.schema()
        #expect(schema.name == builtIn.defaultTableName)
        #expect(schema.partitionKey == KeyAttribute(name: "id", type: .string))
        #expect(schema.sortKey == nil)
        #expect(schema.ttlAttribute == "ttl")
        #expect(schema.billingMode == .payPerRequest)
        #expect(schema.readCapacity == nil && schema.writeCapacity == nil)
        #expect(schema.encryption == Encryption(type: .kms, kmsKey: nil))
        #expect(schema.localSecondaryIndexes.isEmpty)
        #expect(schema.deletionProtection == false)
        #expect(schema.pointInTimeRecovery == false)
        #expect(schema.stream == nil)
        #expect(schema.tableClass == .standard)
        #expect(schema.tags.isEmpty)
        #expect(schema.validate() == [])
    }

    @Test(arguments: BuiltInSchema.allCases)
    func globalSecondaryIndexes(builtIn: BuiltInSchema) throws {
        let indexes = builtIn.schema().globalSecondaryIndexes
        let expected = try #require(Self.expectedIndexes[builtIn])
        #expect(indexes.count == expected.count)
        for (index, (name, partitionKey, sortKey)) in zip(indexes, expected) {
            #expect(index.name == name)
            #expect(index.partitionKeys == [KeyAttribute(name: partitionKey, type: .string)])
            #expect(index.sortKeys == [KeyAttribute(name: sortKey, type: .string)])
            #expect(index.projection == Projection(type: .all, nonKeyAttributes: []))
            #expect(index.readCapacity == nil && index.writeCapacity == nil)
        }
    }

    @Test func sessionsServerInstanceIndexSortsByStatus() throws {
        let schema = BuiltInSchema.sessions.schema()
        let index = try #require(schema.globalSecondaryIndexes.first { $0.name == "gsi-server-instance" })
        #expect(index.partitionKeys.map(\.name) == ["server_instance_id"])
        #expect(index.sortKeys.map(\.name) == ["status"])
        #expect(
            schema.globalSecondaryIndexNames == [
                "gsi-user", "gsi-status", "gsi-profile", "gsi-server-instance",
            ])
    }

    @Test(arguments: BuiltInSchema.allCases)
    func nameCanBeChanged(builtIn: BuiltInSchema) {
        let schema = builtIn.schema(name: "sentinel-prod")
        #expect(schema.name == "sentinel-prod")
        var renamedBack = schema
        renamedBack.name = builtIn.defaultTableName
        #expect(renamedBack == builtIn.schema())
    }

    @Test(arguments: BuiltInSchema.allCases)
    func everyKeyAttributeIsAString(builtIn: BuiltInSchema) {
        #expect(builtIn.schema().attributeDefinitions.allSatisfy { $0.type == .string })
    }
}

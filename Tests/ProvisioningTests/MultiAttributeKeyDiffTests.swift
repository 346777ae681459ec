import JSON
import Schema
import Testing

@testable import Provisioning

/// A live index keyed `tenant + region / created_at` is read with every element, shown so, and any
/// difference in an element, its order or its type replaces the index, as a changed single key does.
@Suite struct MultiAttributeKeyDiffTests {
    static let describeTable = """
        {"Table": {"TableName": "audit", "TableArn": "arn:aws:dynamodb:us-east-1:1:table/audit",
         "TableStatus": "ACTIVE", "TableId": "x", "CreationDateTime": 1.7e9, "ItemCount": 0, "TableSizeBytes": 0,
         "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
         "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
           {"AttributeName": "tenant", "AttributeType": "S"}, {"AttributeName": "region", "AttributeType": "S"},
           {"AttributeName": "created_at", "AttributeType": "N"}],
         "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST", "LastUpdateToPayPerRequestDateTime": 1.7e9},
         "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0, "NumberOfDecreasesToday": 0},
         "GlobalSecondaryIndexes": [{"IndexName": "gsi-tenant", "IndexStatus": "ACTIVE", "IndexArn": "a",
           "IndexSizeBytes": 0, "ItemCount": 0,
           "KeySchema": [{"AttributeName": "tenant", "KeyType": "HASH"}, {"AttributeName": "region", "KeyType": "HASH"},
             {"AttributeName": "created_at", "KeyType": "RANGE"}],
           "Projection": {"ProjectionType": "ALL"},
           "WarmThroughput": {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}}],
         "LocalSecondaryIndexes": [], "DeletionProtectionEnabled": false,
         "WarmThroughput": {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}}}
        """

    static let index = GlobalSecondaryIndex(
        name: "gsi-tenant", partitionKeys: [.string("tenant"), .string("region")],
        sortKeys: [.number("created_at")])
    static let schema = TableSchema(
        name: "audit", partitionKey: .string("id"), globalSecondaryIndexes: [index])

    func live(_ text: String = describeTable) throws -> LiveTable {
        try LiveTable(describeTable: JSONValue(parsing: text))
    }

    @Test func everyKeyElementIsReadInOrder() throws {
        let table = try live()
        let index = try #require(table.globalSecondaryIndexes.first?.index)
        #expect(index.partitionKeys == Self.index.partitionKeys && index.sortKeys == Self.index.sortKeys)
        #expect(table.unmanaged == [])
        #expect(table.schema.globalSecondaryIndexes == [Self.index])
    }

    @Test func theSameKeysAreUpToDate() throws {
        #expect(TableDiff.plan(Self.schema, live: try live()).isUpToDate)
    }

    /// The issue's reproduction: a script saying `partition_key = "region"` is not up to date.
    @Test(arguments: [
        ("a dropped element", [KeyAttribute.string("region")], [KeyAttribute.number("created_at")]),
        ("another order", [.string("region"), .string("tenant")], [.number("created_at")]),
        ("another type", [.string("tenant"), .string("region")], [.string("created_at")]),
        (
            "an extra sort element", [.string("tenant"), .string("region")],
            [.number("created_at"), .string("x")]
        ),
    ])
    func aDifferentKeyReplacesTheIndex(case: String, partition: [KeyAttribute], sort: [KeyAttribute]) throws {
        var schema = Self.schema
        schema.globalSecondaryIndexes[0].partitionKeys = partition
        schema.globalSecondaryIndexes[0].sortKeys = sort
        let plan = TableDiff.plan(schema, live: try live())
        #expect(!plan.isUpToDate, "\(`case`)")
        #expect(
            plan.steps == [
                .deleteIndex(name: "gsi-tenant", replacing: true),
                .createIndex(schema.globalSecondaryIndexes[0], replacing: true),
            ])
        #expect(plan.blocked == [])
    }

    @Test func gsiCreationSendsEveryElementAndDefinesEachAttribute() throws {
        let requests = StepRequests.requests(
            for: .createIndex(Self.index, replacing: false), schema: Self.schema, arn: "arn:t")
        #expect(requests.count == 1)
        let body = requests[0].body
        #expect(
            body["GlobalSecondaryIndexUpdates"]?[0]?["Create"]?["KeySchema"]?.description
                == #"[{"AttributeName":"tenant","KeyType":"HASH"},{"AttributeName":"region","KeyType":"HASH"},{"AttributeName":"created_at","KeyType":"RANGE"}]"#
        )
        #expect(
            body["AttributeDefinitions"]?.description
                == #"[{"AttributeName":"created_at","AttributeType":"N"},{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"region","AttributeType":"S"},{"AttributeName":"tenant","AttributeType":"S"}]"#
        )
        #expect(
            PlanStep.createIndex(Self.index, replacing: false).summary.contains(
                "(tenant + region, created_at; ALL)"))
    }

    @Test func statusShowsEveryElement() throws {
        let table = try live()
        #expect(
            StatusReport.text(name: "audit", table).contains(
                "gsi-tenant [ACTIVE] tenant (S) + region (S), created_at (N); ALL"))
        let json = StatusReport.json(name: "audit", table)
        #expect(
            json["gsis"]?[0]?["partition_key"]?.description
                == #"[{"name":"tenant","type":"S"},{"name":"region","type":"S"}]"#)
        #expect(json["not_managed"] == nil)
    }
}

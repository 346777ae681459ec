import JSON
import Schema
import Testing

/// The expected requests are written by hand from the CreateTable API reference, not printed from the
/// code. They compare as parsed values, whose object equality includes member order, and then as
/// compact text, byte for byte.
@Suite struct CreateTableRequestTests {
    static let approvals = """
        {
          "TableName": "sentinel-requests",
          "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
          "AttributeDefinitions": [
            {"AttributeName": "created_at", "AttributeType": "S"},
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "profile", "AttributeType": "S"},
            {"AttributeName": "requester", "AttributeType": "S"},
            {"AttributeName": "status", "AttributeType": "S"}
          ],
          "BillingMode": "PAY_PER_REQUEST",
          "GlobalSecondaryIndexes": [
            {
              "IndexName": "gsi-requester",
              "KeySchema": [
                {"AttributeName": "requester", "KeyType": "HASH"},
                {"AttributeName": "created_at", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "ALL"}
            },
            {
              "IndexName": "gsi-status",
              "KeySchema": [
                {"AttributeName": "status", "KeyType": "HASH"},
                {"AttributeName": "created_at", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "ALL"}
            },
            {
              "IndexName": "gsi-profile",
              "KeySchema": [
                {"AttributeName": "profile", "KeyType": "HASH"},
                {"AttributeName": "created_at", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "ALL"}
            }
          ],
          "SSESpecification": {"Enabled": true, "SSEType": "KMS"}
        }
        """

    static let breakglass = """
        {
          "TableName": "sentinel-breakglass",
          "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
          "AttributeDefinitions": [
            {"AttributeName": "created_at", "AttributeType": "S"},
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "invoker", "AttributeType": "S"},
            {"AttributeName": "profile", "AttributeType": "S"},
            {"AttributeName": "status", "AttributeType": "S"}
          ],
          "BillingMode": "PAY_PER_REQUEST",
          "GlobalSecondaryIndexes": [
            {
              "IndexName": "gsi-invoker",
              "KeySchema": [
                {"AttributeName": "invoker", "KeyType": "HASH"},
                {"AttributeName": "created_at", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "ALL"}
            },
            {
              "IndexName": "gsi-status",
              "KeySchema": [
                {"AttributeName": "status", "KeyType": "HASH"},
                {"AttributeName": "created_at", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "ALL"}
            },
            {
              "IndexName": "gsi-profile",
              "KeySchema": [
                {"AttributeName": "profile", "KeyType": "HASH"},
                {"AttributeName": "created_at", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "ALL"}
            }
          ],
          "SSESpecification": {"Enabled": true, "SSEType": "KMS"}
        }
        """

    static let sessions = """
        {
          "TableName": "sentinel-sessions",
          "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
          "AttributeDefinitions": [
            {"AttributeName": "created_at", "AttributeType": "S"},
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "profile", "AttributeType": "S"},
            {"AttributeName": "server_instance_id", "AttributeType": "S"},
            {"AttributeName": "status", "AttributeType": "S"},
            {"AttributeName": "user", "AttributeType": "S"}
          ],
          "BillingMode": "PAY_PER_REQUEST",
          "GlobalSecondaryIndexes": [
            {
              "IndexName": "gsi-user",
              "KeySchema": [
                {"AttributeName": "user", "KeyType": "HASH"},
                {"AttributeName": "created_at", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "ALL"}
            },
            {
              "IndexName": "gsi-status",
              "KeySchema": [
                {"AttributeName": "status", "KeyType": "HASH"},
                {"AttributeName": "created_at", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "ALL"}
            },
            {
              "IndexName": "gsi-profile",
              "KeySchema": [
                {"AttributeName": "profile", "KeyType": "HASH"},
                {"AttributeName": "created_at", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "ALL"}
            },
            {
              "IndexName": "gsi-server-instance",
              "KeySchema": [
                {"AttributeName": "server_instance_id", "KeyType": "HASH"},
                {"AttributeName": "status", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "ALL"}
            }
          ],
          "SSESpecification": {"Enabled": true, "SSEType": "KMS"}
        }
        """

    /// Every option CreateTable takes from a schema.
    static let everything = """
        {
          "TableName": "orders",
          "KeySchema": [
            {"AttributeName": "customer", "KeyType": "HASH"},
            {"AttributeName": "placed_at", "KeyType": "RANGE"}
          ],
          "AttributeDefinitions": [
            {"AttributeName": "amount", "AttributeType": "N"},
            {"AttributeName": "customer", "AttributeType": "S"},
            {"AttributeName": "placed_at", "AttributeType": "N"},
            {"AttributeName": "status", "AttributeType": "S"}
          ],
          "BillingMode": "PROVISIONED",
          "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 4},
          "GlobalSecondaryIndexes": [
            {
              "IndexName": "by-status",
              "KeySchema": [
                {"AttributeName": "status", "KeyType": "HASH"},
                {"AttributeName": "placed_at", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total", "currency"]},
              "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 2}
            }
          ],
          "LocalSecondaryIndexes": [
            {
              "IndexName": "by-amount",
              "KeySchema": [
                {"AttributeName": "customer", "KeyType": "HASH"},
                {"AttributeName": "amount", "KeyType": "RANGE"}
              ],
              "Projection": {"ProjectionType": "KEYS_ONLY"}
            }
          ],
          "SSESpecification": {"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": "alias/orders"},
          "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
          "DeletionProtectionEnabled": true,
          "TableClass": "STANDARD_INFREQUENT_ACCESS",
          "Tags": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "payments"}]
        }
        """

    static let everythingSchema = TableSchema(
        name: "orders",
        partitionKey: .string("customer"),
        sortKey: .number("placed_at"),
        globalSecondaryIndexes: [
            GlobalSecondaryIndex(
                name: "by-status", partitionKey: .string("status"), sortKey: .number("placed_at"),
                projection: .include(["total", "currency"]), readCapacity: 5, writeCapacity: 2)
        ],
        localSecondaryIndexes: [
            LocalSecondaryIndex(name: "by-amount", sortKey: .number("amount"), projection: .keysOnly)
        ],
        billingMode: .provisioned,
        readCapacity: 10,
        writeCapacity: 4,
        ttlAttribute: "expires",
        encryption: .customerKey("alias/orders"),
        deletionProtection: true,
        pointInTimeRecovery: true,
        stream: .newAndOldImages,
        tableClass: .standardInfrequentAccess,
        tags: ["team": "payments", "env": "prod"]
    )

    func expectRequest(_ schema: TableSchema, equals expected: String) throws {
        let expectedValue = try JSONValue(parsing: expected)
        let request = schema.createTableRequest()
        #expect(request == expectedValue)
        #expect(request.jsonText() == expectedValue.jsonText())
    }

    @Test func approvals() throws {
        try expectRequest(BuiltInSchema.approvals.schema(), equals: Self.approvals)
    }

    @Test func breakglass() throws {
        try expectRequest(BuiltInSchema.breakglass.schema(), equals: Self.breakglass)
    }

    @Test func sessions() throws {
        try expectRequest(BuiltInSchema.sessions.schema(), equals: Self.sessions)
    }

    @Test func everyOption() throws {
        #expect(Self.everythingSchema.validate() == [])
        try expectRequest(Self.everythingSchema, equals: Self.everything)
    }

    @Test func minimalTableWithTheKeyOwnedByAWS() throws {
        let schema = TableSchema(
            name: "audit", partitionKey: .number("seq"), ttlAttribute: "expires", pointInTimeRecovery: true)
        try expectRequest(
            schema,
            equals: """
                {
                  "TableName": "audit",
                  "KeySchema": [{"AttributeName": "seq", "KeyType": "HASH"}],
                  "AttributeDefinitions": [{"AttributeName": "seq", "AttributeType": "N"}],
                  "BillingMode": "PAY_PER_REQUEST"
                }
                """)
    }

    @Test func customerKeyByARNAndStandardClassWithoutProtection() throws {
        let key = "arn:aws:kms:eu-west-1:123456789012:key/12345678-1234-1234-1234-123456789012"
        var schema = TableSchema(name: "audit", partitionKey: .binary("hash"), encryption: .customerKey(key))
        schema.stream = .keysOnly
        try expectRequest(
            schema,
            equals: """
                {
                  "TableName": "audit",
                  "KeySchema": [{"AttributeName": "hash", "KeyType": "HASH"}],
                  "AttributeDefinitions": [{"AttributeName": "hash", "AttributeType": "B"}],
                  "BillingMode": "PAY_PER_REQUEST",
                  "SSESpecification": {
                    "Enabled": true,
                    "SSEType": "KMS",
                    "KMSMasterKeyId": "arn:aws:kms:eu-west-1:123456789012:key/12345678-1234-1234-1234-123456789012"
                  },
                  "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}
                }
                """)
    }

    @Test func attributeDefinitionsAreExactlyTheKeyAttributes() {
        let names = Self.everythingSchema.attributeDefinitions.map(\.name)
        // Not the TTL attribute, not the projected non-key attributes; each key once.
        #expect(names == ["amount", "customer", "placed_at", "status"])
    }

    @Test func isDeterministic() {
        var reordered = Self.everythingSchema
        reordered.tags = [:]
        reordered.tags["env"] = "prod"
        reordered.tags["team"] = "payments"
        let first = JSONWriter().bytes(from: Self.everythingSchema.createTableRequest())
        #expect(JSONWriter().bytes(from: reordered.createTableRequest()) == first)
        for _ in 0..<20 {
            #expect(JSONWriter().bytes(from: Self.everythingSchema.createTableRequest()) == first)
        }
        #expect(
            BuiltInSchema.sessions.schema().createTableRequest().jsonText(.pretty)
                == BuiltInSchema.sessions.schema().createTableRequest().jsonText(.pretty))
    }
}

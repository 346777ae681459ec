import JSON
import Schema
import Testing

@Suite struct SchemaDocumentTests {
    @Test func breakglassDocument() throws {
        let expected = try JSONValue(
            parsing: """
                {
                  "name": "sentinel-breakglass",
                  "partition_key": {"name": "id", "type": "S"},
                  "gsis": [
                    {"name": "gsi-invoker", "partition_key": {"name": "invoker", "type": "S"},
                     "sort_key": {"name": "created_at", "type": "S"}, "projection": "ALL"},
                    {"name": "gsi-status", "partition_key": {"name": "status", "type": "S"},
                     "sort_key": {"name": "created_at", "type": "S"}, "projection": "ALL"},
                    {"name": "gsi-profile", "partition_key": {"name": "profile", "type": "S"},
                     "sort_key": {"name": "created_at", "type": "S"}, "projection": "ALL"}
                  ],
                  "lsis": [],
                  "billing_mode": "PAY_PER_REQUEST",
                  "ttl": "ttl",
                  "encryption": {"type": "KMS"},
                  "deletion_protection": false,
                  "point_in_time_recovery": false,
                  "table_class": "STANDARD",
                  "tags": {}
                }
                """)
        #expect(BuiltInSchema.breakglass.schema().schemaDocument() == expected)
    }

    @Test func everyFieldIncludingTTLAndPointInTimeRecovery() throws {
        let expected = try JSONValue(
            parsing: """
                {
                  "name": "orders",
                  "partition_key": {"name": "customer", "type": "S"},
                  "sort_key": {"name": "placed_at", "type": "N"},
                  "gsis": [
                    {"name": "by-status", "partition_key": {"name": "status", "type": "S"},
                     "sort_key": {"name": "placed_at", "type": "N"}, "projection": "INCLUDE",
                     "non_key_attributes": ["total", "currency"], "read_capacity": 5, "write_capacity": 2}
                  ],
                  "lsis": [
                    {"name": "by-amount", "sort_key": {"name": "amount", "type": "N"}, "projection": "KEYS_ONLY"}
                  ],
                  "billing_mode": "PROVISIONED",
                  "read_capacity": 10,
                  "write_capacity": 4,
                  "ttl": "expires",
                  "encryption": {"type": "CUSTOMER_KEY", "kms_key": "alias/orders"},
                  "deletion_protection": true,
                  "point_in_time_recovery": true,
                  "stream": "NEW_AND_OLD_IMAGES",
                  "table_class": "STANDARD_INFREQUENT_ACCESS",
                  "tags": {"env": "prod", "team": "payments"}
                }
                """)
        #expect(CreateTableRequestTests.everythingSchema.schemaDocument() == expected)
    }

    @Test func isDeterministic() {
        let schema = CreateTableRequestTests.everythingSchema
        let text = schema.schemaDocument().jsonText(.pretty)
        for _ in 0..<20 {
            #expect(schema.schemaDocument().jsonText(.pretty) == text)
        }
    }
}

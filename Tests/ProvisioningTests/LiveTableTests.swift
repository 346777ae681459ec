import JSON
import Provisioning
import Schema
import Testing

@Suite struct LiveTableTests {
    @Test func normalisesWhatDescribeTableLeavesOut() throws {
        let response = try JSONValue(
            parsing: """
                {"Table": {"TableName": "t", "TableArn": "arn:aws:dynamodb:eu-west-1:1:table/t", "TableStatus": "ACTIVE",
                 "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}],
                 "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                   {"AttributeName": "n", "AttributeType": "N"}, {"AttributeName": "g", "AttributeType": "B"}],
                 "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4, "NumberOfDecreasesToday": 0},
                 "GlobalSecondaryIndexes": [{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                   "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]}, "IndexStatus": "CREATING",
                   "Backfilling": true, "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 2},
                   "WarmThroughput": {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}}],
                 "StreamSpecification": {"StreamEnabled": false}, "ItemCount": 7, "TableSizeBytes": 99}}
                """)
        let ttl = try JSONValue(
            parsing: #"{"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}}"#)
        let backups = try JSONValue(
            parsing:
                #"{"ContinuousBackupsDescription": {"PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED"}}}"#
        )
        let table = try LiveTable(
            describeTable: response, timeToLive: ttl, continuousBackups: backups, tags: ["a": "b"])
        #expect(table.billingMode == .provisioned)
        #expect(table.readCapacity == 3 && table.writeCapacity == 4)
        #expect(table.sortKey == .number("n"))
        #expect(table.tableClass == .standard)
        #expect(table.encryption == LiveEncryption(type: .default))
        #expect(table.stream == nil)
        #expect(table.timeToLive.effectiveAttribute == "exp")
        #expect(table.pointInTimeRecovery)
        #expect(table.itemCount == 7 && table.sizeBytes == 99)
        let index = try #require(table.globalSecondaryIndexes.first)
        #expect(index.index.partitionKeys == [.binary("g")])
        #expect(index.index.projection == .include(["a"]))
        #expect(index.isBackfilling && !table.isSettled)
    }

    @Test func onDemandHasNoCapacityAndKMSIsReported() throws {
        let response = try JSONValue(
            parsing: """
                {"Table": {"TableName": "t", "TableStatus": "ACTIVE", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                 "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                 "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
                 "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
                 "SSEDescription": {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": "arn:aws:kms:us-east-1:1:key/k"},
                 "TableClassSummary": {"TableClass": "STANDARD_INFREQUENT_ACCESS"}, "DeletionProtectionEnabled": true}}
                """)
        let table = try LiveTable(describeTable: response)
        #expect(table.billingMode == .payPerRequest && table.readCapacity == nil)
        #expect(table.encryption == LiveEncryption(type: .kms, keyARN: "arn:aws:kms:us-east-1:1:key/k"))
        #expect(table.tableClass == .standardInfrequentAccess && table.deletionProtection)
    }

    @Test func malformedResponsesAreErrorsNamingTheMember() {
        #expect(
            throws: ProvisioningError.unexpectedResponse(
                operation: "DescribeTable", detail: "Table: expected an object")
        ) {
            try LiveTable(describeTable: ["nope": 1])
        }
        #expect(throws: ProvisioningError.self) {
            try LiveTable(describeTable: ["Table": ["TableName": "t", "KeySchema": []]])
        }
    }
}

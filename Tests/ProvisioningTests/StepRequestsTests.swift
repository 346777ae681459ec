import JSON
import Provisioning
import Schema
import Testing

@Suite struct StepRequestsTests {
    let schema = BuiltInSchema.sessions.schema()

    func body(_ step: PlanStep) -> [(String, String)] {
        StepRequests.requests(for: step, schema: schema, arn: "arn:t").map {
            ($0.operation, $0.body.description)
        }
    }

    /// The table's key is defined too (moto replaces definitions instead of merging them).
    @Test func createIndexCarriesTheTablesDefinitionsAndItsOwn() {
        let index = GlobalSecondaryIndex(
            name: "gsi-device-id", partitionKey: .string("device_id"), sortKey: .string("created_at"),
            projection: .all)
        let requests = body(.createIndex(index, replacing: false))
        #expect(requests.count == 1)
        #expect(requests[0].0 == "UpdateTable")
        #expect(
            requests[0].1
                == #"{"TableName":"sentinel-sessions","AttributeDefinitions":[{"AttributeName":"created_at","AttributeType":"S"},{"AttributeName":"device_id","AttributeType":"S"},{"AttributeName":"id","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"gsi-device-id","KeySchema":[{"AttributeName":"device_id","KeyType":"HASH"},{"AttributeName":"created_at","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}}]}"#
        )
    }

    @Test func streamViewChangeIsOffThenOn() {
        let requests = body(
            .updateSettings(
                SettingsChange(
                    settings: [TableSettingChange(.deletionProtection, true)],
                    stream: StreamChange(from: .keysOnly, to: .newImage))
            ))
        #expect(
            requests.map(\.1) == [
                #"{"TableName":"sentinel-sessions","StreamSpecification":{"StreamEnabled":false}}"#,
                #"{"TableName":"sentinel-sessions","DeletionProtectionEnabled":true,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}"#,
            ])
    }

    @Test func encryptionTimeToLiveRecoveryAndTags() {
        #expect(
            body(.updateEncryption(from: .default, to: .customerKey("alias/k")))[0].1
                == #"{"TableName":"sentinel-sessions","SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"alias/k"}}"#
        )
        #expect(
            body(.updateEncryption(from: .kms, to: .default))[0].1
                == #"{"TableName":"sentinel-sessions","SSESpecification":{"Enabled":false}}"#)
        #expect(
            body(.disableTimeToLive(attribute: "ttl"))[0].1
                == #"{"TableName":"sentinel-sessions","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"ttl"}}"#
        )
        #expect(body(.updatePointInTimeRecovery(enabled: true))[0].0 == "UpdateContinuousBackups")
        #expect(
            body(.tagResource(["b": "2", "a": "1"]))[0].1
                == #"{"ResourceArn":"arn:t","Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}]}"#)
        #expect(body(.untagResource(["a"]))[0].1 == #"{"ResourceArn":"arn:t","TagKeys":["a"]}"#)
    }
}

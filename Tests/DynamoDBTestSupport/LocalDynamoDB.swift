import AWSTestSupport
import DynamoDB
import Foundation
import JSON
import TestSupport

/// The local DynamoDB server (moto_server) that scripts/test starts.
package enum LocalDynamoDB {
    /// The endpoint from `SENTINEL_TABLES_TEST_ENDPOINT`; a missing variable fails the test.
    package static func endpoint() throws -> String { try LocalServerEndpoint.fromEnvironment() }

    /// Runs `body` with a client for the local server (fake credentials, us-east-1), shut down after.
    package static func withClient(_ body: (DynamoDBClient) async throws -> Void) async throws {
        let configuration = try DynamoDBConfiguration.resolve(
            .init(
                region: "us-east-1", endpoint: try endpoint(),
                credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            environment: quietEnvironment, fileSystem: MemoryFileSystem(files: [:]))
        let client = DynamoDBClient(configuration: configuration)
        do {
            try await body(client)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// A table name no other test uses.
    package static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A CreateTable body: string `id` partition key, optional string `sk` sort key.
    package static func createRequest(_ name: String, sortKey: Bool = false) -> JSONObject {
        var keySchema: [JSONValue] = [["AttributeName": "id", "KeyType": "HASH"]]
        var attributes: [JSONValue] = [["AttributeName": "id", "AttributeType": "S"]]
        if sortKey {
            keySchema.append(["AttributeName": "sk", "KeyType": "RANGE"])
            attributes.append(["AttributeName": "sk", "AttributeType": "N"])
        }
        return [
            "TableName": .string(name), "KeySchema": .array(keySchema),
            "AttributeDefinitions": .array(attributes),
            "BillingMode": "PAY_PER_REQUEST",
        ]
    }
}

import DynamoDB
import Foundation
import JSON
import Logging
import Lua
import SentinelScript
import Synchronization
import TestSupport
import Testing

/// The local DynamoDB server (moto_server) that `sentinel.db` tests run scripts against.
enum LocalData {
    /// The endpoint from `SENTINEL_TABLES_TEST_ENDPOINT`; a missing variable fails the test.
    static func endpoint() throws -> String { try LocalServerEndpoint.fromEnvironment() }

    /// Runs `body` with a client for the local server (fake credentials, us-east-1) whose requests
    /// `requests` counts, shut down after.
    static func withClient(_ body: (DynamoDBClient, RequestLog) async throws -> Void) async throws {
        let requests = RequestLog()
        var logger = Logger(label: "test") { _ in RequestCountingHandler(log: requests) }
        logger.logLevel = .debug
        let configuration = try DynamoDBConfiguration.resolve(
            .init(
                region: "us-east-1", endpoint: try endpoint(),
                credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"),
                logger: logger),
            environment: ["HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"])
        let client = DynamoDBClient(configuration: configuration)
        do {
            try await body(client, requests)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// A table name no other test uses.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Creates a table: partition key `partitionKey` (S), optional sort key, optional GSIs of string keys.
    static func createTable(
        _ client: DynamoDBClient, _ name: String, partitionKey: String = "id", sortKey: String? = nil,
        gsis: [(name: String, partition: String, sort: String)] = [], numberKeys: Set<String> = []
    ) async throws {
        var attributes = Set([partitionKey])
        var keySchema: [JSONValue] = [["AttributeName": .string(partitionKey), "KeyType": "HASH"]]
        if let sortKey {
            keySchema.append(["AttributeName": .string(sortKey), "KeyType": "RANGE"])
            attributes.insert(sortKey)
        }
        var indexes: [JSONValue] = []
        for gsi in gsis {
            attributes.formUnion([gsi.partition, gsi.sort])
            indexes.append([
                "IndexName": .string(gsi.name),
                "KeySchema": [
                    ["AttributeName": .string(gsi.partition), "KeyType": "HASH"],
                    ["AttributeName": .string(gsi.sort), "KeyType": "RANGE"],
                ],
                "Projection": ["ProjectionType": "ALL"],
            ])
        }
        var request: JSONObject = [
            "TableName": .string(name), "KeySchema": .array(keySchema), "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": .array(
                attributes.sorted().map {
                    [
                        "AttributeName": .string($0),
                        "AttributeType": .string(numberKeys.contains($0) ? "N" : "S"),
                    ]
                }),
        ]
        if !indexes.isEmpty { request["GlobalSecondaryIndexes"] = .array(indexes) }
        _ = try await client.createTable(request)
    }

    /// Runs `script` (with `...` = `arguments`) on a thread of its own in a state whose `sentinel.db`
    /// uses `client`.
    static func run(
        _ client: DynamoDBClient, _ script: String, name: String = "data.lua", arguments: [String] = []
    ) async throws -> [LuaValue] {
        try await onScriptThread {
            let state = try LuaState()
            try SentinelModule.install(into: state, services: SentinelServices(dynamoDB: { client }))
            return try state.run(script, name: name, arguments: arguments.map(LuaValue.text))
        }
    }

    /// The error `script` raises, with its message.
    static func error(
        _ client: DynamoDBClient, _ script: String, name: String = "data.lua", arguments: [String] = []
    ) async throws -> LuaError? {
        do {
            _ = try await run(client, script, name: name, arguments: arguments)
            return nil
        } catch let error as LuaError {
            return error
        }
    }
}

/// boto3, a second and independent DynamoDB client, against the local server.
enum Boto3 {
    /// Runs Python `code` with `client` (a boto3 DynamoDB client for the local server) and `table`
    /// defined (and `extra` as `sys.argv[3...]`); what it prints to standard output is parsed as JSON.
    static func run(_ code: String, table: String, extra: [String] = []) throws -> Any {
        let prelude = """
            import json, sys
            import boto3
            client = boto3.client("dynamodb", endpoint_url=sys.argv[1], region_name="us-east-1")
            table = sys.argv[2]

            """
        let result = try ChildProcess.python(
            prelude + code, arguments: [try LocalData.endpoint(), table] + extra)
        guard result.status == 0 else { throw DataBotoInteropTests.BotoFailure(description: result.errors) }
        return try JSONSerialization.jsonObject(with: result.output, options: [.fragmentsAllowed])
    }
}

/// Counts the DynamoDB requests a client logs, by operation.
final class RequestLog: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func record(_ operation: String) {
        counts.withLock { $0[operation, default: 0] += 1 }
    }

    func count(_ operation: String) -> Int {
        counts.withLock { $0[operation] ?? 0 }
    }

    func reset() {
        counts.withLock { $0.removeAll() }
    }
}

/// A log handler that records each "DynamoDB request" line's operation.
struct RequestCountingHandler: LogHandler {
    let log: RequestLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if event.message.description == "DynamoDB request", let operation = event.metadata?["operation"] {
            log.record(operation.description)
        }
    }
}

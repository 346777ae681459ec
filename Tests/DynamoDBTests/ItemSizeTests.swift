import DynamoDB
import JSON
import Testing

/// Item sizes as DynamoDB's "Item sizes and formats" measures them, and the 400 KB check of the write
/// paths.
@Suite struct ItemSizeTests {
    @Test func sizesFollowTheGuide() {
        #expect(ItemSize.of(["id": .string("abc")]) == 2 + 3)
        #expect(ItemSize.of(["n": .number(AttributeNumber("12345")!)]) == 1 + 3 + 1)
        // Leading and trailing zeros, the sign, the point and the exponent are not digits.
        #expect(ItemSize.of(["n": .number(AttributeNumber("-00120.500E+3")!)]) == 1 + 2 + 1)
        #expect(ItemSize.of(["n": .number(AttributeNumber("0")!)]) == 1 + 1)
        #expect(ItemSize.of(["b": .binary([1, 2, 3])]) == 1 + 3)
        #expect(ItemSize.of(["t": .bool(true), "z": .null]) == 2 + 2)
        #expect(ItemSize.of(["l": .list([.string("ab"), .null])]) == 1 + 3 + (1 + 2) + (1 + 1))
        #expect(ItemSize.of(["m": .map(["k": .string("v")])]) == 1 + 3 + 1 + 1 + 1)
        #expect(ItemSize.of(["s": .stringSet(["a", "bc"])]) == 1 + 3)
        #expect(ItemSize.of(["é": .string("é")]) == 2 + 2)
    }

    /// An item with key `id` and a string attribute `data` of `total` bytes in all.
    static func item(totalBytes total: Int) -> Item {
        ["id": .string("x"), "data": .string(String(repeating: "a", count: total - 3 - 4))]
    }

    @Test func fourHundredKilobytesExactlyPassesAndOneMoreByteIsRefusedNamingTheKey() throws {
        #expect(ItemSize.of(Self.item(totalBytes: 409_600)) == 409_600)
        try ItemSize.check(Self.item(totalBytes: 409_600), operation: "PutItem", tableName: "t")
        do {
            try ItemSize.check(Self.item(totalBytes: 409_601), operation: "PutItem", tableName: "t")
            Issue.record("not refused")
        } catch {
            #expect(
                error.description
                    == "PutItem on table 't': item {id = \"x\"} is 409,601 bytes; DynamoDB refuses items over "
                    + "400 KB (409,600 bytes); nothing was sent")
        }
    }

    /// The client refuses before building a request: the endpoint is a closed port, so anything sent
    /// would fail as a transport error instead.
    @Test func everyWritePathRefusesBeforeSending() async throws {
        let configuration = try DynamoDBConfiguration.resolve(
            .init(
                region: "us-east-1", endpoint: "http://127.0.0.1:9",
                credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            environment: ["HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"])
        let client = DynamoDBClient(configuration: configuration)
        let big = Self.item(totalBytes: 409_601)
        let calls: [(String, () async throws(DynamoDBError) -> Void)] = [
            (
                "PutItem",
                { () async throws(DynamoDBError) in try await client.putItem(tableName: "t", item: big) }
            ),
            (
                "BatchWriteItem",
                { () async throws(DynamoDBError) in
                    try await client.batchWriteItem(tableName: "t", puts: [["id": .string("small")], big])
                }
            ),
            (
                "TransactWriteItems",
                { () async throws(DynamoDBError) in
                    try await client.transactWriteItems([
                        TransactWriteAction(tableName: "t", operation: .put(item: big))
                    ])
                }
            ),
            (
                "UpdateItem",
                { () async throws(DynamoDBError) in
                    try await client.updateItem(
                        tableName: "t", key: ["id": .string("x")], updateExpression: "SET #d = :d",
                        expressionAttributeNames: ["#d": "data"],
                        expressionAttributeValues: [":d": .string(String(repeating: "a", count: 409_601))])
                }
            ),
        ]
        for (operation, call) in calls {
            do {
                try await call()
                Issue.record("\(operation) was not refused")
            } catch {
                guard case .itemTooLarge(let problem) = error else {
                    Issue.record("\(operation): \(error)")
                    continue
                }
                #expect(problem.operation == operation)
                #expect(problem.item == "{id = \"x\"}")
            }
        }
        try await client.shutdown()
    }
}

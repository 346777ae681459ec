import DynamoDB
import JSON
import Testing

/// Batch operations against the scripted server: unprocessed items are sent again until done, or
/// reported by name.
@Suite struct BatchRetryTests {
    @Test func unprocessedItemsAreResent() async throws {
        let unprocessed = #"{"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"b"}}}}]}}"#
        try await RetryTests.withServer(answering: [
            .json(200, unprocessed), .json(200, #"{"UnprocessedItems":{}}"#),
        ]) {
            server, client in
            try await client.batchWriteItem(tableName: "t", puts: [["id": "a"], ["id": "b"]])
            #expect(server.requests.count == 2)
            #expect(
                server.requests.last?.bodyText
                    == #"{"RequestItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"b"}}}}]}}"#)
        }
    }

    @Test func itemsStillUnprocessedAreNamed() async throws {
        let unprocessed = #"{"UnprocessedKeys":{"t":{"Keys":[{"id":{"S":"k2"}}]}},"Responses":{"t":[]}}"#
        try await RetryTests.withServer(answering: [.json(200, unprocessed)]) { server, client in
            await #expect {
                _ = try await client.batchGetItem(
                    tableName: "t", keys: [["id": "k1"], ["id": "k2"]], maxAttempts: 3)
            } throws: { error in
                guard
                    case DynamoDBError.unprocessedItems(let operation, let table, let items, let attempts) =
                        error
                else { return false }
                return operation == "BatchGetItem" && table == "t" && items == [["id": "k2"]] && attempts == 3
            }
            #expect(server.requests.count == 3)
        }
    }

    @Test func writesAreChunkedByTwentyFive() async throws {
        try await RetryTests.withServer(answering: [.json(200, "{}")]) { server, client in
            let items: [Item] = (0..<60).map { ["id": .string("\($0)")] }
            try await client.batchWriteItem(tableName: "t", puts: items)
            #expect(server.requests.count == 3)
            let sizes = try server.requests.map { request in
                try JSONParser().parse(request.bodyText)["RequestItems"]?["t"]?.arrayValue?.count
            }
            #expect(sizes == [25, 25, 10])
        }
    }
}

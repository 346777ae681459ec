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

    @Test func aFailureNamesEveryItemNotWrittenIncludingLaterChunks() async throws {
        let unprocessed = #"{"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"3"}}}}]}}"#
        try await RetryTests.withServer(answering: [.json(200, unprocessed)]) { server, client in
            let items: [Item] = (0..<30).map { ["id": .string("\($0)")] }
            await #expect {
                try await client.batchWriteItem(tableName: "t", puts: items, maxAttempts: 2)
            } throws: { error in
                guard case DynamoDBError.unprocessedItems(_, _, let left, let attempts) = error else {
                    return false
                }
                // The chunk's leftover, then the second chunk, which was never sent.
                return left == [["id": "3"]] + (25..<30).map { ["id": .string("\($0)")] } && attempts == 2
            }
            #expect(server.requests.count == 2)
        }
    }

    @Test func requestsForOneKeyAreOneTheLastGiven() async throws {
        try await RetryTests.withServer(answering: [.json(200, "{}")]) { server, client in
            try await client.batchWriteItem(
                tableName: "t",
                puts: [
                    ["id": "a", "n": 1], ["id": "b"], ["id": "a", "n": 2],
                    ["id": .number(AttributeNumber("1")!)],
                    ["id": .number(AttributeNumber("1.0E0")!), "n": 3],
                ],
                deleteKeys: [["id": "b"]], overwriteByKeys: ["id"])
            #expect(server.requests.count == 1)
            #expect(
                server.requests.first?.bodyText
                    == #"{"RequestItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"a"},"n":{"N":"2"}}}},"#
                    + #"{"PutRequest":{"Item":{"id":{"N":"1.0E0"},"n":{"N":"3"}}}},"#
                    + #"{"DeleteRequest":{"Key":{"id":{"S":"b"}}}}]}}"#)
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

import DynamoDB
import JSON
import Testing

/// Scan and Query pages against the scripted server: pages follow `LastEvaluatedKey`, items keep their
/// order, and a malformed answer is reported with the path of what is wrong.
@Suite struct ItemPagesTests {
    @Test func pagesFollowTheLastEvaluatedKeyAndKeepTheirOrder() async throws {
        let first =
            #"{"Items":[{"id":{"S":"a"}},{"id":{"S":"b"},"n":{"N":"2"}}],"Count":2,"ScannedCount":3,"#
            + #""LastEvaluatedKey":{"id":{"S":"b"}}}"#
        let second = #"{"Items":[{"id":{"S":"c"}}],"Count":1,"ScannedCount":1}"#
        try await RetryTests.withServer(answering: [.json(200, first), .json(200, second)]) {
            server, client in
            var pages: [ItemPage] = []
            for try await page in client.scan(ScanRequest(tableName: "t")) {
                pages.append(page)
            }
            #expect(pages.map(\.items) == [[["id": "a"], ["id": "b", "n": 2]], [["id": "c"]]])
            #expect(pages.map(\.scannedCount) == [3, 1])
            #expect(pages.map(\.lastEvaluatedKey) == [["id": "b"], nil])
            let second = try JSONParser().parse(server.requests[1].bodyText)
            #expect(second["ExclusiveStartKey"] == .object(["id": .object(["S": "b"])]))
        }
    }

    @Test func aPageWithoutItemsIsEmpty() async throws {
        try await RetryTests.withServer(answering: [.json(200, #"{"Count":0,"Items":null}"#)]) { _, client in
            let items = try await client.scan(ScanRequest(tableName: "t")).allItems()
            #expect(items.isEmpty)
        }
    }

    @Test func aMalformedItemIsNamedByItsPath() async throws {
        let answer = #"{"Items":[{"id":{"S":"a"}},{"id":{"S":"b"},"n":{"N":7}}]}"#
        try await RetryTests.withServer(answering: [.json(200, answer)]) { _, client in
            await #expect {
                _ = try await client.scan(ScanRequest(tableName: "t")).allItems()
            } throws: { error in
                guard case DynamoDBError.invalidResponse("Scan", let problem) = error else { return false }
                return problem.path.hasPrefix("Items[1].n")
            }
        }
    }

    @Test func itemsThatAreNotAListAreNamed() async throws {
        try await RetryTests.withServer(answering: [.json(200, #"{"Items":{"id":{"S":"a"}}}"#)]) {
            _, client in
            await #expect {
                _ = try await client.scan(ScanRequest(tableName: "t")).allItems()
            } throws: { error in
                guard case DynamoDBError.invalidResponse("Scan", let problem) = error else { return false }
                return problem.path == "Items" && problem.message.contains("expected an array")
            }
        }
    }
}

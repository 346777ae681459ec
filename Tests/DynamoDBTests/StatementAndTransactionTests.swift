import DynamoDB
import JSON
import Testing

/// ExecuteStatement's pages and the transaction operations against the scripted server: what moto
/// cannot show (it answers a PartiQL SELECT in one page whatever its `Limit`), and the exact request
/// bodies DynamoDB documents.
@Suite struct StatementAndTransactionTests {
    @Test func statementPagesFollowNextToken() async throws {
        let first = #"{"Items":[{"id":{"S":"a"}}],"NextToken":"page-2"}"#
        let second = #"{"Items":[{"id":{"S":"b"}}]}"#
        try await RetryTests.withServer(answering: [.json(200, first), .json(200, second)]) {
            server, client in
            let request = StatementRequest(
                statement: #"SELECT * FROM "t" WHERE kind = ?"#, parameters: [.string("x")],
                consistentRead: true,
                pageSize: 1)
            let items = try await client.executeStatement(request).allItems()
            #expect(items == [["id": "a"], ["id": "b"]])
            #expect(
                server.requests.map { $0.header("x-amz-target") }
                    == Array(repeating: "DynamoDB_20120810.ExecuteStatement", count: 2))
            let firstBody = try JSONParser().parse(server.requests[0].bodyText)
            #expect(firstBody["Statement"] == .string(#"SELECT * FROM "t" WHERE kind = ?"#))
            #expect(firstBody["Parameters"] == .array([.object(["S": "x"])]))
            #expect(firstBody["ConsistentRead"] == true)
            #expect(firstBody["Limit"] == 1)
            #expect(firstBody["NextToken"] == nil)
            let secondBody = try JSONParser().parse(server.requests[1].bodyText)
            #expect(secondBody["NextToken"] == "page-2")
        }
    }

    @Test func transactWriteItemsSendsEachActionAndOneToken() async throws {
        try await RetryTests.withServer(answering: [.json(200, "{}")]) { server, client in
            try await client.transactWriteItems(
                [
                    TransactWriteAction(tableName: "t", operation: .put(item: ["id": "a"])),
                    TransactWriteAction(
                        tableName: "t", operation: .update(key: ["id": "b"], expression: "ADD #n :one"),
                        conditionExpression: "attribute_exists(#n)", expressionAttributeNames: ["#n": "n"],
                        expressionAttributeValues: [":one": 1], returnItemOnConditionFailure: true),
                    TransactWriteAction(tableName: "u", operation: .delete(key: ["id": "c"])),
                    TransactWriteAction(
                        tableName: "u", operation: .conditionCheck(key: ["id": "d"]),
                        conditionExpression: "attribute_not_exists(id)"),
                ], clientRequestToken: "token-1")
            let body = try JSONParser().parse(server.requests[0].bodyText)
            #expect(body["ClientRequestToken"] == "token-1")
            let items = body["TransactItems"]?.arrayValue ?? []
            #expect(items.count == 4)
            #expect(items[0]["Put"]?["Item"] == .object(["id": .object(["S": "a"])]))
            #expect(items[1]["Update"]?["UpdateExpression"] == "ADD #n :one")
            #expect(items[1]["Update"]?["ReturnValuesOnConditionCheckFailure"] == "ALL_OLD")
            #expect(
                items[1]["Update"]?["ExpressionAttributeValues"] == .object([":one": .object(["N": "1"])]))
            #expect(items[2]["Delete"]?["TableName"] == "u")
            #expect(items[3]["ConditionCheck"]?["ConditionExpression"] == "attribute_not_exists(id)")
        }
    }

    @Test func aCancelledTransactionCarriesEachActionsReason() async throws {
        let cancelled =
            #"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","#
            + #""Message":"Transaction cancelled","CancellationReasons":[{"Code":"None"},"#
            + #"{"Code":"ConditionalCheckFailed","Message":"The conditional request failed","#
            + #""Item":{"id":{"S":"b"},"n":{"N":"3"}}}]}"#
        try await RetryTests.withServer(answering: [.json(400, cancelled)]) { server, client in
            await #expect {
                try await client.transactWriteItems([
                    TransactWriteAction(tableName: "t", operation: .put(item: ["id": "a"])),
                    TransactWriteAction(tableName: "t", operation: .delete(key: ["id": "b"])),
                ])
            } throws: { error in
                guard case DynamoDBError.service(let failure) = error else { return false }
                return failure.code == "TransactionCanceledException"
                    && failure.cancellationReasons == [
                        CancellationReason(code: "None"),
                        CancellationReason(
                            code: "ConditionalCheckFailed", message: "The conditional request failed",
                            item: ["id": "b", "n": 3]),
                    ]
                    && !failure.description.contains("\"n\"")
            }
            // Not retried: a cancellation is an answer, not a fault.
            #expect(server.requests.count == 1)
        }
    }

    @Test func transactGetItemsGivesNilWhereThereIsNoItem() async throws {
        let answer = #"{"Responses":[{"Item":{"id":{"S":"a"}}},{}]}"#
        try await RetryTests.withServer(answering: [.json(200, answer)]) { server, client in
            let items = try await client.transactGetItems([
                TransactGet(tableName: "t", key: ["id": "a"]), TransactGet(tableName: "t", key: ["id": "z"]),
            ])
            #expect(items == [["id": "a"], nil])
            let body = try JSONParser().parse(server.requests[0].bodyText)
            #expect(body["TransactItems"]?.arrayValue?.count == 2)
        }
    }

    @Test func aGeneratedTokenIsAVersion4UUID() {
        let tokens = (0..<100).map { _ in ClientRequestToken.random() }
        #expect(Set(tokens).count == 100)
        for token in tokens {
            let parts = token.split(separator: "-").map(String.init)
            #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
            #expect(parts[2].first == "4")
            #expect("89ab".contains(parts[3].first!))
            #expect(token.allSatisfy { "0123456789abcdef-".contains($0) })
        }
    }
}

import DynamoDBModel
import JSON

// TransactWriteItems and TransactGetItems: all or nothing, across tables.
extension DynamoDBClient {
    /// DynamoDB's limit of actions per transaction (TransactWriteItems and TransactGetItems).
    public static let transactionLimit = 100

    /// TransactWriteItems: applies every action or none. `clientRequestToken` makes the call
    /// idempotent for ten minutes: a retry after a lost answer is not applied twice, so the retry
    /// policy may resend it. A cancelled transaction is thrown as a `ServiceError` with code
    /// `TransactionCanceledException` whose `ServiceError.cancellationReasons` give each action's
    /// reason.
    public func transactWriteItems(
        _ actions: [TransactWriteAction], clientRequestToken: String = ClientRequestToken.random()
    ) async throws(DynamoDBError) {
        for action in actions {
            switch action.operation {
            case .put(let item):
                try ItemSize.check(item, operation: "TransactWriteItems", tableName: action.tableName)
            case .update(let key, _):
                try ItemSize.check(
                    Self.updateContents(key: key, values: action.expressionAttributeValues),
                    operation: "TransactWriteItems", tableName: action.tableName,
                    keyNames: key.keys.map(\.text))
            case .delete, .conditionCheck:
                break
            }
        }
        let request: JSONObject = [
            "TransactItems": .array(actions.map(\.json)),
            "ClientRequestToken": .string(clientRequestToken),
        ]
        _ = try await send(
            "TransactWriteItems", request, tableName: Self.tableNames(actions.map(\.tableName)))
    }

    /// TransactGetItems: the items with these keys, read together as of one moment; `nil` where
    /// there is no item.
    public func transactGetItems(_ gets: [TransactGet]) async throws(DynamoDBError) -> [Item?] {
        let request: JSONObject = [
            "TransactItems": .array(
                gets.map { get in
                    ["Get": ["TableName": .string(get.tableName), "Key": AttributeValue.json(get.key)]]
                })
        ]
        let answer = try await send(
            "TransactGetItems", request, tableName: Self.tableNames(gets.map(\.tableName)))
        return try decode("TransactGetItems") { () throws(ValueDecodingError) -> [Item?] in
            let responses = try (JSONReader(answer).optional("Responses")?.elements() ?? []).enumerated().map
            {
                JSONReader($1, path: "Responses[\($0)]")
            }
            guard responses.count == gets.count else {
                throw JSONReader(answer).fail(
                    "expected \(gets.count) responses, one per item asked for, found \(responses.count)")
            }
            return try responses.map { (response) throws(ValueDecodingError) -> Item? in
                try response.optional("Item").map { (item) throws(ValueDecodingError) in
                    try AttributeValue.item(item)
                }
            }
        }
    }

    /// The tables a transaction names, for logs and errors: `a`, or `a, b`.
    private static func tableNames(_ names: [String]) -> String? {
        var seen: Set<String> = []
        let distinct = names.filter { seen.insert($0).inserted }
        return distinct.isEmpty ? nil : distinct.joined(separator: ", ")
    }
}

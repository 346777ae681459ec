import DynamoDBModel
import JSON

// BatchWriteItem and BatchGetItem: chunked to DynamoDB's limits, with unprocessed items retried.
extension DynamoDBClient {
    /// DynamoDB's limit of requests per BatchWriteItem.
    public static let batchWriteLimit = 25
    /// DynamoDB's limit of keys per BatchGetItem.
    public static let batchGetLimit = 100

    /// Writes `puts` and deletes `deleteKeys` in chunks of 25. Items DynamoDB returns as unprocessed
    /// are sent again after the retry policy's backoff; after `maxAttempts` rounds the error
    /// (`DynamoDBError.unprocessedItems(operation:tableName:unprocessed:attempts:)`) holds every
    /// item not written: the chunk's leftovers and every later chunk, which was never sent.
    ///
    /// With `overwriteByKeys` (the table's key attribute names), requests for the same key are one
    /// request, the last one given (puts first, then deletes), as boto3's `overwrite_by_pkeys` does:
    /// DynamoDB refuses a batch naming a key twice. Keys are compared as DynamoDB does, numbers by
    /// value (`AttributeValue.canonicalKey(of:keyNames:)`).
    ///
    /// With a `budget`, each request waits for its writes and is charged what it consumed; items
    /// returned unprocessed count as throttling.
    public func batchWriteItem(
        tableName: String, puts: [Item] = [], deleteKeys: [Item] = [], overwriteByKeys: [String] = [],
        maxAttempts: Int = 10, budget: CapacityBudget? = nil
    ) async throws(DynamoDBError) {
        var requests: [(item: Item, put: Bool)] = puts.map { ($0, true) } + deleteKeys.map { ($0, false) }
        if !overwriteByKeys.isEmpty {
            requests = Self.lastPerKey(requests, keyNames: overwriteByKeys) { $0.item }
        }
        // Every item before the first chunk is sent: a batch with one item DynamoDB would refuse
        // writes none of them.
        for request in requests where request.put {
            try ItemSize.check(
                request.item, operation: "BatchWriteItem", tableName: tableName, keyNames: overwriteByKeys)
        }
        let writes: [JSONValue] = requests.map { request in
            request.put
                ? ["PutRequest": ["Item": AttributeValue.json(request.item)]]
                : ["DeleteRequest": ["Key": AttributeValue.json(request.item)]]
        }
        for start in stride(from: 0, to: writes.count, by: Self.batchWriteLimit) {
            let end = min(start + Self.batchWriteLimit, writes.count)
            var pending = Array(writes[start..<end])
            var attempt = 1
            while true {
                let request: JSONObject = ["RequestItems": .object([tableName: .array(pending)])]
                let answer = try await send(
                    "BatchWriteItem", request, tableName: tableName, budget: budget, kind: .write)
                pending = try decode("BatchWriteItem") { () throws(ValueDecodingError) in
                    try JSONReader(answer).optional("UnprocessedItems")?.optional(tableName)?.array()
                        .map(\.value) ?? []
                }
                if pending.isEmpty { break }
                budget?.throttled(.write)
                guard attempt < maxAttempts else {
                    throw .unprocessedItems(
                        operation: "BatchWriteItem", tableName: tableName,
                        unprocessed: pending.compactMap(Self.writeTarget) + requests[end...].map { $0.item },
                        attempts: attempt)
                }
                try await backOff(afterAttempt: attempt)
                attempt += 1
            }
        }
    }

    /// `elements` with only the last of each key (by `AttributeValue.canonicalKey(of:keyNames:)`),
    /// in the order of those last ones.
    public static func lastPerKey<Element>(_ elements: [Element], keyNames: [String], key: (Element) -> Item)
        -> [Element]
    {
        var last: [Item: Int] = [:]
        for (offset, element) in elements.enumerated() {
            last[AttributeValue.canonicalKey(of: key(element), keyNames: keyNames)] = offset
        }
        let kept = Set(last.values)
        return elements.enumerated().filter { kept.contains($0.offset) }.map(\.element)
    }

    /// Gets the items with `keys` in chunks of 100, retrying unprocessed keys as
    /// ``batchWriteItem(tableName:puts:deleteKeys:maxAttempts:)`` does. Items come back in no
    /// particular order; keys without an item are left out.
    public func batchGetItem(
        tableName: String, keys: [Item], consistentRead: Bool = false, projectionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:], maxAttempts: Int = 10
    ) async throws(DynamoDBError) -> [Item] {
        var found: [Item] = []
        for start in stride(from: 0, to: keys.count, by: Self.batchGetLimit) {
            var pending = keys[start..<min(start + Self.batchGetLimit, keys.count)].map(AttributeValue.json)
            var attempt = 1
            while true {
                var tableRequest: JSONObject = ["Keys": .array(pending)]
                if consistentRead { tableRequest["ConsistentRead"] = true }
                if let projectionExpression {
                    tableRequest["ProjectionExpression"] = .string(projectionExpression)
                }
                ItemRequestFields.addExpressionAttributes(
                    to: &tableRequest, names: expressionAttributeNames, values: [:])
                let request: JSONObject = ["RequestItems": .object([tableName: .object(tableRequest)])]
                let answer = try await send("BatchGetItem", request, tableName: tableName)
                let (items, unprocessed) = try decode("BatchGetItem") {
                    () throws(ValueDecodingError) -> ([Item], [JSONValue]) in
                    let reader = JSONReader(answer)
                    var items: [Item] = []
                    for item in try reader.optional("Responses")?.optional(tableName)?.array() ?? [] {
                        items.append(try AttributeValue.item(item))
                    }
                    let unprocessed =
                        try reader.optional("UnprocessedKeys")?.optional(tableName)?.optional("Keys")?.array()
                        .map(\.value) ?? []
                    return (items, unprocessed)
                }
                found += items
                pending = unprocessed
                if pending.isEmpty { break }
                guard attempt < maxAttempts else {
                    throw .unprocessedItems(
                        operation: "BatchGetItem", tableName: tableName,
                        unprocessed: pending.compactMap { try? AttributeValue.item(json: $0) },
                        attempts: attempt)
                }
                try await backOff(afterAttempt: attempt)
                attempt += 1
            }
        }
        return found
    }

    /// The item of a put request or the key of a delete request.
    private static func writeTarget(_ request: JSONValue) -> Item? {
        let target = request["PutRequest"]?["Item"] ?? request["DeleteRequest"]?["Key"]
        return target.flatMap { try? AttributeValue.item(json: $0) }
    }

    private func backOff(afterAttempt attempt: Int) async throws(DynamoDBError) {
        do {
            try await Task.sleep(for: configuration.retryPolicy.delay(afterAttempt: attempt))
        } catch {
            throw .transport(
                TransportFailure(
                    kind: .cancelled, reason: "cancelled", endpoint: configuration.endpoint.description,
                    operation: "batch"))
        }
    }
}

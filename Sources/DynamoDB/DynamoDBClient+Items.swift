import DynamoDBModel
import JSON

// Single-item operations, Query and Scan.
extension DynamoDBClient {
    /// GetItem: the item with `key`, or `nil` when there is none.
    public func getItem(
        tableName: String, key: Item, consistentRead: Bool = false, projectionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:]
    ) async throws(DynamoDBError) -> Item? {
        var request = ItemRequestFields.common(
            tableName: tableName, projectionExpression: projectionExpression, names: expressionAttributeNames,
            values: [:], consistentRead: consistentRead)
        request["Key"] = AttributeValue.json(key)
        let answer = try await send("GetItem", request, tableName: tableName)
        return try decode("GetItem") { () throws(ValueDecodingError) in
            try JSONReader(answer).optional("Item").map { (item) throws(ValueDecodingError) in
                try AttributeValue.item(item)
            }
        }
    }

    /// PutItem: writes `item`, replacing any item with its key unless `conditionExpression` fails
    /// (a `ServiceError` with code `ConditionalCheckFailedException`, whose `ServiceError.item` is
    /// the item as it was when `returnItemOnConditionFailure` is true).
    public func putItem(
        tableName: String, item: Item, conditionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:], expressionAttributeValues: Item = [:],
        returnItemOnConditionFailure: Bool = false
    ) async throws(DynamoDBError) {
        try ItemSize.check(item, operation: "PutItem", tableName: tableName)
        var request: JSONObject = ["TableName": .string(tableName), "Item": AttributeValue.json(item)]
        ItemRequestFields.addCondition(
            to: &request, conditionExpression, returnItemOnFailure: returnItemOnConditionFailure)
        ItemRequestFields.addExpressionAttributes(
            to: &request, names: expressionAttributeNames, values: expressionAttributeValues)
        _ = try await send("PutItem", request, tableName: tableName)
    }

    /// UpdateItem; returns the attributes `returnValues` asks for (`NONE`, `ALL_OLD`, `UPDATED_OLD`,
    /// `ALL_NEW`, `UPDATED_NEW`), `nil` for `NONE`. A failed condition is thrown as ``putItem(tableName:item:conditionExpression:expressionAttributeNames:expressionAttributeValues:returnItemOnConditionFailure:)`` describes.
    @discardableResult
    public func updateItem(
        tableName: String, key: Item, updateExpression: String, conditionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:], expressionAttributeValues: Item = [:],
        returnValues: String = "NONE", returnItemOnConditionFailure: Bool = false
    ) async throws(DynamoDBError) -> Item? {
        try ItemSize.check(
            Self.updateContents(key: key, values: expressionAttributeValues), operation: "UpdateItem",
            tableName: tableName, keyNames: key.keys.map(\.text))
        var request: JSONObject = [
            "TableName": .string(tableName), "Key": AttributeValue.json(key),
            "UpdateExpression": .string(updateExpression),
        ]
        ItemRequestFields.addCondition(
            to: &request, conditionExpression, returnItemOnFailure: returnItemOnConditionFailure)
        ItemRequestFields.addExpressionAttributes(
            to: &request, names: expressionAttributeNames, values: expressionAttributeValues)
        if returnValues != "NONE" { request["ReturnValues"] = .string(returnValues) }
        let answer = try await send("UpdateItem", request, tableName: tableName)
        return try attributes("UpdateItem", answer)
    }

    /// DeleteItem; returns the deleted item when `returnOldItem` is true and there was one. A failed
    /// condition is thrown as ``putItem(tableName:item:conditionExpression:expressionAttributeNames:expressionAttributeValues:returnItemOnConditionFailure:)`` describes.
    @discardableResult
    public func deleteItem(
        tableName: String, key: Item, conditionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:], expressionAttributeValues: Item = [:],
        returnOldItem: Bool = false, returnItemOnConditionFailure: Bool = false
    ) async throws(DynamoDBError) -> Item? {
        var request: JSONObject = ["TableName": .string(tableName), "Key": AttributeValue.json(key)]
        ItemRequestFields.addCondition(
            to: &request, conditionExpression, returnItemOnFailure: returnItemOnConditionFailure)
        ItemRequestFields.addExpressionAttributes(
            to: &request, names: expressionAttributeNames, values: expressionAttributeValues)
        if returnOldItem { request["ReturnValues"] = "ALL_OLD" }
        let answer = try await send("DeleteItem", request, tableName: tableName)
        return try attributes("DeleteItem", answer)
    }

    /// Query's pages, fetched lazily as they are iterated.
    public func query(_ request: QueryRequest) -> ItemPages {
        ItemPages(
            client: self, operation: "Query", request: request.json, tableName: request.tableName,
            startKey: request.exclusiveStartKey)
    }

    /// Scan's pages, fetched lazily as they are iterated.
    public func scan(_ request: ScanRequest) -> ItemPages {
        ItemPages(
            client: self, operation: "Scan", request: request.json, tableName: request.tableName,
            startKey: request.exclusiveStartKey)
    }

    /// ExecuteStatement's pages (a PartiQL statement), fetched lazily as they are iterated, following
    /// `NextToken`. A statement that writes (INSERT, UPDATE, DELETE) gives one empty page.
    public func executeStatement(_ request: StatementRequest) -> ItemPages {
        ItemPages(
            client: self, operation: "ExecuteStatement", request: request.json, tableName: nil, startKey: nil,
            startToken: request.nextToken)
    }

    /// A parallel scan: one page sequence per segment, to iterate concurrently.
    public func parallelScan(_ request: ScanRequest, totalSegments: Int) -> [ItemPages] {
        (0..<max(1, totalSegments)).map { segment in
            var part = request
            part.segment = segment
            part.totalSegments = max(1, totalSegments)
            return scan(part)
        }
    }

    private func attributes(_ operation: String, _ answer: JSONObject) throws(DynamoDBError) -> Item? {
        try decode(operation) { () throws(ValueDecodingError) in
            try JSONReader(answer).optional("Attributes").map { (item) throws(ValueDecodingError) in
                try AttributeValue.item(item)
            }
        }
    }

    /// What an update writes at least: its key and every value it names (as attributes named by their
    /// placeholders), so values that alone are over the limit are refused before they are sent. The
    /// item they are added to may be larger still: DynamoDB checks that.
    static func updateContents(key: Item, values: Item) -> Item {
        key.merging(values) { first, _ in first }
    }
}

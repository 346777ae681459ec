import DynamoDBModel
import JSON

/// A Query: items of one partition (of the table or an index), read page by page.
public struct QueryRequest: Sendable {
    public var tableName: String
    public var indexName: String?
    /// `#pk = :pk AND begins_with(#sk, :prefix)`.
    public var keyConditionExpression: String
    public var filterExpression: String?
    public var projectionExpression: String?
    /// `#name` placeholders to attribute names (needed for reserved words such as `status`).
    public var expressionAttributeNames: [String: String]
    /// `:value` placeholders to values.
    public var expressionAttributeValues: Item
    /// Items evaluated per page (DynamoDB's `Limit`); `nil` for DynamoDB's 1 MB pages.
    public var pageSize: Int?
    public var consistentRead: Bool
    /// Ascending sort-key order when true.
    public var scanIndexForward: Bool
    /// Where to start, a previous page's `lastEvaluatedKey`.
    public var exclusiveStartKey: Item?
    /// DynamoDB's `Select`: `COUNT` returns only counts (pages without items).
    public var select: String?

    public init(
        tableName: String, indexName: String? = nil, keyConditionExpression: String,
        filterExpression: String? = nil, projectionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:], expressionAttributeValues: Item = [:],
        pageSize: Int? = nil, consistentRead: Bool = false, scanIndexForward: Bool = true,
        exclusiveStartKey: Item? = nil
    ) {
        self.tableName = tableName
        self.indexName = indexName
        self.keyConditionExpression = keyConditionExpression
        self.filterExpression = filterExpression
        self.projectionExpression = projectionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.pageSize = pageSize
        self.consistentRead = consistentRead
        self.scanIndexForward = scanIndexForward
        self.exclusiveStartKey = exclusiveStartKey
    }

    var json: JSONObject {
        var request = ItemRequestFields.common(
            tableName: tableName, indexName: indexName, filterExpression: filterExpression,
            projectionExpression: projectionExpression, names: expressionAttributeNames,
            values: expressionAttributeValues, pageSize: pageSize, consistentRead: consistentRead)
        request["KeyConditionExpression"] = .string(keyConditionExpression)
        if !scanIndexForward { request["ScanIndexForward"] = false }
        if let select { request["Select"] = .string(select) }
        return request
    }
}

/// A Scan: every item of a table or index, page by page; with ``segment`` and ``totalSegments`` one
/// part of a parallel scan.
public struct ScanRequest: Sendable {
    public var tableName: String
    public var indexName: String?
    public var filterExpression: String?
    public var projectionExpression: String?
    public var expressionAttributeNames: [String: String]
    public var expressionAttributeValues: Item
    /// Items evaluated per page (DynamoDB's `Limit`).
    public var pageSize: Int?
    public var consistentRead: Bool
    /// This worker's segment, 0 ..< totalSegments.
    public var segment: Int?
    /// The number of parallel segments.
    public var totalSegments: Int?
    public var exclusiveStartKey: Item?
    /// DynamoDB's `Select`: `COUNT` returns only counts (pages without items).
    public var select: String?

    public init(
        tableName: String, indexName: String? = nil, filterExpression: String? = nil,
        projectionExpression: String? = nil, expressionAttributeNames: [String: String] = [:],
        expressionAttributeValues: Item = [:], pageSize: Int? = nil, consistentRead: Bool = false,
        segment: Int? = nil, totalSegments: Int? = nil, exclusiveStartKey: Item? = nil
    ) {
        self.tableName = tableName
        self.indexName = indexName
        self.filterExpression = filterExpression
        self.projectionExpression = projectionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.pageSize = pageSize
        self.consistentRead = consistentRead
        self.segment = segment
        self.totalSegments = totalSegments
        self.exclusiveStartKey = exclusiveStartKey
    }

    var json: JSONObject {
        var request = ItemRequestFields.common(
            tableName: tableName, indexName: indexName, filterExpression: filterExpression,
            projectionExpression: projectionExpression, names: expressionAttributeNames,
            values: expressionAttributeValues, pageSize: pageSize, consistentRead: consistentRead)
        if let segment, let totalSegments {
            request["Segment"] = JSONValue(segment)
            request["TotalSegments"] = JSONValue(totalSegments)
        }
        if let select { request["Select"] = .string(select) }
        return request
    }
}

/// The request members item operations share.
enum ItemRequestFields {
    static func common(
        tableName: String, indexName: String? = nil, filterExpression: String? = nil,
        projectionExpression: String? = nil, names: [String: String], values: Item, pageSize: Int? = nil,
        consistentRead: Bool = false
    ) -> JSONObject {
        var request: JSONObject = ["TableName": .string(tableName)]
        if let indexName { request["IndexName"] = .string(indexName) }
        if let filterExpression { request["FilterExpression"] = .string(filterExpression) }
        if let projectionExpression { request["ProjectionExpression"] = .string(projectionExpression) }
        addExpressionAttributes(to: &request, names: names, values: values)
        if let pageSize { request["Limit"] = JSONValue(pageSize) }
        if consistentRead { request["ConsistentRead"] = true }
        return request
    }

    static func addCondition(to request: inout JSONObject, _ expression: String?, returnItemOnFailure: Bool) {
        guard let expression else { return }
        request["ConditionExpression"] = .string(expression)
        if returnItemOnFailure { request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD" }
    }

    static func addExpressionAttributes(to request: inout JSONObject, names: [String: String], values: Item) {
        if !names.isEmpty {
            request["ExpressionAttributeNames"] = .object(
                JSONObject(names.keys.sorted().map { ($0, JSONValue.string(names[$0]!)) }))
        }
        if !values.isEmpty {
            request["ExpressionAttributeValues"] = AttributeValue.json(values)
        }
    }
}

/// A PartiQL statement (ExecuteStatement): `SELECT * FROM "t" WHERE id = ?` with its `?` parameters
/// in order; a SELECT's result is read page by page.
public struct StatementRequest: Sendable {
    public var statement: String
    /// The values of the statement's `?` placeholders, in order.
    public var parameters: [AttributeValue]
    public var consistentRead: Bool
    /// Items evaluated per page (DynamoDB's `Limit`); `nil` for DynamoDB's 1 MB pages.
    public var pageSize: Int?
    /// Where to start, a previous page's `nextToken`.
    public var nextToken: String?

    public init(
        statement: String, parameters: [AttributeValue] = [], consistentRead: Bool = false,
        pageSize: Int? = nil,
        nextToken: String? = nil
    ) {
        self.statement = statement
        self.parameters = parameters
        self.consistentRead = consistentRead
        self.pageSize = pageSize
        self.nextToken = nextToken
    }

    var json: JSONObject {
        var request: JSONObject = ["Statement": .string(statement)]
        if !parameters.isEmpty { request["Parameters"] = .array(parameters.map(\.json)) }
        if consistentRead { request["ConsistentRead"] = true }
        if let pageSize { request["Limit"] = JSONValue(pageSize) }
        return request
    }
}

import DynamoDBModel
import JSON

/// One action of a TransactWriteItems: a put, an update, a delete or a condition check on one item,
/// with its own condition. DynamoDB applies every action of a transaction or none.
public struct TransactWriteAction: Sendable {
    public enum Operation: Sendable {
        /// `Put`: writes `item`, replacing any item with its key.
        case put(item: Item)
        /// `Update`: applies `expression` to the item with `key`.
        case update(key: Item, expression: String)
        /// `Delete`: deletes the item with `key`.
        case delete(key: Item)
        /// `ConditionCheck`: checks the condition on the item with `key`, writing nothing.
        case conditionCheck(key: Item)
    }

    public var tableName: String
    public var operation: Operation
    /// Required for a condition check; optional otherwise.
    public var conditionExpression: String?
    public var expressionAttributeNames: [String: String]
    public var expressionAttributeValues: Item
    /// Asks DynamoDB for the item as it was when this action's condition fails
    /// (`ReturnValuesOnConditionCheckFailure` `ALL_OLD`), found in `CancellationReason.item`.
    public var returnItemOnConditionFailure: Bool

    public init(
        tableName: String, operation: Operation, conditionExpression: String? = nil,
        expressionAttributeNames: [String: String] = [:], expressionAttributeValues: Item = [:],
        returnItemOnConditionFailure: Bool = false
    ) {
        self.tableName = tableName
        self.operation = operation
        self.conditionExpression = conditionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.returnItemOnConditionFailure = returnItemOnConditionFailure
    }

    /// The key of the item the action is on; for a put, the item itself (its key attributes among
    /// the others).
    public var target: Item {
        switch operation {
        case .put(let item): item
        case .update(let key, _), .delete(let key), .conditionCheck(let key): key
        }
    }

    /// The element of `TransactItems`: `{"Put": {...}}`, `{"Update": {...}}`, ...
    var json: JSONValue {
        var body: JSONObject = ["TableName": .string(tableName)]
        let member: String
        switch operation {
        case .put(let item):
            member = "Put"
            body["Item"] = AttributeValue.json(item)
        case .update(let key, let expression):
            member = "Update"
            body["Key"] = AttributeValue.json(key)
            body["UpdateExpression"] = .string(expression)
        case .delete(let key):
            member = "Delete"
            body["Key"] = AttributeValue.json(key)
        case .conditionCheck(let key):
            member = "ConditionCheck"
            body["Key"] = AttributeValue.json(key)
        }
        ItemRequestFields.addCondition(
            to: &body, conditionExpression, returnItemOnFailure: returnItemOnConditionFailure)
        ItemRequestFields.addExpressionAttributes(
            to: &body, names: expressionAttributeNames, values: expressionAttributeValues)
        return .object([member: .object(body)])
    }
}

/// One item of a TransactGetItems: the item with `key` in `tableName`.
public struct TransactGet: Sendable {
    public var tableName: String
    public var key: Item

    public init(tableName: String, key: Item) {
        self.tableName = tableName
        self.key = key
    }
}

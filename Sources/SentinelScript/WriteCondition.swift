import DynamoDB
import Lua

/// The `condition` and `exists` options of `put`, `update` and `delete`: when a write happens.
///
/// `condition` is a table of attribute conditions in the syntax of a `filter`; `exists = false` makes a
/// write create-only (no item has the key), `exists = true` one that needs the item to be there.
struct WriteCondition {
    var conditions: [(String, ItemCondition)] = []
    var exists: Bool?

    static let options = ["condition", "exists"]

    /// The options' condition, or nil when they give none.
    static func read(_ options: [String: LuaValue], reader: LuaAttributeReader) throws -> WriteCondition? {
        var condition = WriteCondition()
        if let value = options["condition"], value != .nil {
            condition.conditions = try ItemSearch.conditions(value, option: "condition", reader: reader)
        }
        if let value = options["exists"], value != .nil {
            guard let flag = value.booleanValue else {
                throw ScriptError("option 'exists' must be true or false")
            }
            condition.exists = flag
        }
        return condition.conditions.isEmpty && condition.exists == nil ? nil : condition
    }

    /// The `ConditionExpression` on `builder`'s placeholders: `exists` as `attribute_exists` or
    /// `attribute_not_exists` of the partition key, then every condition, joined with `AND`.
    func expression(_ builder: inout ExpressionBuilder, partitionKey: String) -> String {
        var clauses: [(String, ItemCondition)] = []
        if let exists { clauses.append((partitionKey, .exists(exists))) }
        clauses += conditions
        return builder.conjunction(clauses) ?? ""
    }
}

/// What a conditional write came to.
enum WriteOutcome: Sendable {
    /// Written; the item the function returns (the old one for `delete`, the new one for `update`).
    case written(Item?)
    /// The condition failed; the item as it was (nil when there was none).
    case conditionFailed(Item?)

    /// Runs `write`, turning a failed condition into ``conditionFailed(_:)``; other errors are thrown.
    static func of(_ write: () async throws(DynamoDBError) -> Item?) async throws(DynamoDBError)
        -> WriteOutcome
    {
        do throws(DynamoDBError) {
            return .written(try await write())
        } catch {
            guard case .service(let failure) = error, failure.isConditionFailure else { throw error }
            return .conditionFailed(failure.item)
        }
    }
}

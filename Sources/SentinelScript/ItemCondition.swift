import DynamoDB
import Lua

/// One attribute's condition in a `where` or `filter` table:
/// `status = "active"`, `created_at = { ">=", t }`, `created_at = { between = { a, b } }`,
/// `id = { begins_with = "p" }`, and in filters also `{ "<>", x }`, `{ exists = bool }`,
/// `{ contains = x }`.
enum ItemCondition: Equatable {
    case compare(String, AttributeValue)
    case between(AttributeValue, AttributeValue)
    case beginsWith(AttributeValue)
    case exists(Bool)
    case contains(AttributeValue)

    static let operators = ["=", "<", "<=", ">", ">=", "<>"]
    static let forms =
        "a value, { op, value } (op one of = < <= > >= <>), { between = { a, b } }, "
        + "{ begins_with = prefix }, { exists = true|false } or { contains = value }"

    /// Reads the condition at `path`; a table that is none of the forms is an error (compare with a
    /// list or map value as `{ "=", value }`).
    static func read(_ value: LuaValue, path: String, reader: LuaAttributeReader) throws -> ItemCondition {
        typealias Failure = LuaAttributeReader.ConversionError
        switch value {
        case .array(let elements):
            guard elements.count == 2, let op = elements[0].stringValue, operators.contains(op) else {
                throw Failure(path: path, problem: "condition expected: \(forms)")
            }
            return .compare(op, try reader.attribute(elements[1], path: "\(path)[2]"))
        case .map(let entries):
            guard entries.count == 1, let (key, operand) = entries.first, let form = key.stringValue else {
                throw Failure(path: path, problem: "condition expected: \(forms)")
            }
            switch form {
            case "between":
                guard let bounds = operand.arrayValue, bounds.count == 2 else {
                    throw Failure(path: "\(path).between", problem: "{ low, high } expected")
                }
                return .between(
                    try reader.attribute(bounds[0], path: "\(path).between[1]"),
                    try reader.attribute(bounds[1], path: "\(path).between[2]"))
            case "begins_with":
                return .beginsWith(try reader.attribute(operand, path: "\(path).begins_with"))
            case "exists":
                guard let flag = operand.booleanValue else {
                    throw Failure(path: "\(path).exists", problem: "true or false expected")
                }
                return .exists(flag)
            case "contains":
                return .contains(try reader.attribute(operand, path: "\(path).contains"))
            default:
                throw Failure(
                    path: path,
                    problem: "unknown condition '\(form)'"
                        + (LuaOptions.closestName(
                            to: form, among: ["between", "begins_with", "exists", "contains"]
                        )
                        .map { " (did you mean '\($0)'?)" } ?? "") + "; expected \(forms)")
            }
        default:
            return .compare("=", try reader.attribute(value, path: path))
        }
    }

    /// Whether DynamoDB accepts this on a sort key in a key condition.
    var isSortKeyCondition: Bool {
        switch self {
        case .compare(let op, _): op != "<>"
        case .between, .beginsWith: true
        case .exists, .contains: false
        }
    }

    /// The expression text, with `name` and the values already turned into placeholders.
    func expression(name: String, value: (AttributeValue) -> String) -> String {
        switch self {
        case .compare(let op, let operand): "\(name) \(op) \(value(operand))"
        case .between(let low, let high): "\(name) BETWEEN \(value(low)) AND \(value(high))"
        case .beginsWith(let prefix): "begins_with(\(name), \(value(prefix)))"
        case .exists(true): "attribute_exists(\(name))"
        case .exists(false): "attribute_not_exists(\(name))"
        case .contains(let operand): "contains(\(name), \(value(operand)))"
        }
    }
}

import DynamoDBModel

/// Which changes `watch --filter` shows: every clause must hold. A clause is
/// - `event=INSERT` (or `MODIFY`, `REMOVE`; `!=` for the others),
/// - `changed=NAME`: the change touched attribute NAME (needs both images to tell a MODIFY's),
/// - `NAME=VALUE` or `NAME!=VALUE`: the item's attribute (after the change; before it for a REMOVE)
///   is, or is not, a string, number or boolean written as VALUE (numbers compared by value).
public struct StreamRecordFilter: Sendable {
    private enum Clause: Sendable {
        case event(StreamRecord.Event, equal: Bool)
        case changed(String)
        case attribute(String, value: String, equal: Bool)
    }

    private var clauses: [Clause] = []

    public init() {}

    /// Reads each expression; an error names the one that is not a clause and says what is.
    public init(_ expressions: [String]) throws(DynamoDBError) {
        for expression in expressions {
            clauses.append(try Self.clause(expression))
        }
    }

    public var isEmpty: Bool { clauses.isEmpty }

    private static func clause(_ expression: String) throws(DynamoDBError) -> Clause {
        let usage =
            "filter '\(expression.prefix(80))' is not NAME=VALUE, NAME!=VALUE, event=INSERT|MODIFY|REMOVE or "
            + "changed=NAME"
        let equal: Bool
        let name: Substring
        let value: Substring
        if let range = expression.firstRange(of: "!=") {
            (equal, name, value) = (false, expression[..<range.lowerBound], expression[range.upperBound...])
        } else if let index = expression.firstIndex(of: "=") {
            (equal, name, value) = (true, expression[..<index], expression[expression.index(after: index)...])
        } else {
            throw .input(usage)
        }
        guard !name.isEmpty else { throw .input(usage) }
        switch name {
        case "event":
            guard let event = StreamRecord.Event(rawValue: value.uppercased()) else {
                throw .input("filter '\(expression.prefix(80))': the event is INSERT, MODIFY or REMOVE")
            }
            return .event(event, equal: equal)
        case "changed":
            guard equal, !value.isEmpty else { throw .input(usage) }
            return .changed(String(value))
        default:
            return .attribute(String(name), value: String(value), equal: equal)
        }
    }

    /// Whether `record` passes every clause.
    public func matches(_ record: StreamRecord) -> Bool {
        clauses.allSatisfy { clause in
            switch clause {
            case .event(let event, let equal):
                return (record.event == event) == equal
            case .changed(let name):
                return record.changedAttributes.contains(name)
            case .attribute(let name, let value, let equal):
                let image = record.event == .remove ? record.oldImage : record.newImage
                let attribute =
                    (image ?? record.keys)[AttributeName(name)] ?? record.keys[AttributeName(name)]
                return Self.value(attribute, isWritten: value) == equal
            }
        }
    }

    private static func value(_ attribute: AttributeValue?, isWritten text: String) -> Bool {
        switch attribute {
        case .string(let string): string == text
        case .number(let number): AttributeNumber(text).map { $0 == number } ?? false
        case .bool(let flag): text == (flag ? "true" : "false")
        case .null: text == "null"
        default: false
        }
    }
}

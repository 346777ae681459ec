import DynamoDB
import ItemFiles
import JSON

/// How `explain` says a request: the operation, table and index, then the parts of its body that say
/// what it reads or writes, with the expressions' `#name` and `:value` placeholders put back as the
/// names and values they stand for (`status = "active"`).
enum RequestExplanation {
    /// The body members shown, in this order, with the word each is shown as.
    static let parts: [(member: String, label: String)] = [
        ("Key", "key"), ("KeyConditionExpression", "key condition"), ("FilterExpression", "filter"),
        ("ConditionExpression", "condition"), ("UpdateExpression", "update"),
        ("ProjectionExpression", "projection"), ("Item", "item"), ("Statement", "statement"),
        ("Limit", "limit"), ("Segment", "segment"), ("TotalSegments", "of segments"),
        ("ConsistentRead", "consistent"), ("ScanIndexForward", "ascending"), ("Select", "select"),
    ]

    static func line(_ entry: RequestLedger.Entry) -> String {
        var head = entry.operation
        if let table = entry.table { head += " on \(table)" }
        if let index = entry.index { head += ", index \(index)" }
        var details: [String] = []
        for (member, label) in parts {
            guard let value = entry.body[member] else { continue }
            details.append("\(label) \(text(value, member: member, body: entry.body))")
        }
        if let items = entry.body["RequestItems"]?.objectValue {
            for (table, requests) in items {
                let count =
                    requests.arrayValue?.count ?? requests.objectValue?["Keys"]?.arrayValue?.count ?? 0
                details.append("\(count) request\(count == 1 ? "" : "s") on \(table)")
            }
        }
        if let actions = entry.body["TransactItems"]?.arrayValue {
            details.append("\(actions.count) action\(actions.count == 1 ? "" : "s")")
        }
        return details.isEmpty ? head : head + ": " + details.joined(separator: "; ")
    }

    private static func text(_ value: JSONValue, member: String, body: JSONObject) -> String {
        switch member {
        case "Key", "Item":
            guard let item = try? AttributeValue.item(json: value) else { return compact(value) }
            return compact(ItemFileFormat.plain(item))
        case let expression where expression.hasSuffix("Expression"):
            return substituted(value.stringValue ?? compact(value), body: body)
        default:
            return value.stringValue ?? compact(value)
        }
    }

    /// `expression` with its placeholders replaced, longest first (`#n10` before `#n1`).
    static func substituted(_ expression: String, body: JSONObject) -> String {
        var replacements: [(String, String)] = []
        for (placeholder, name) in body["ExpressionAttributeNames"]?.objectValue ?? [:] {
            replacements.append((placeholder, name.stringValue ?? compact(name)))
        }
        for (placeholder, value) in body["ExpressionAttributeValues"]?.objectValue ?? [:] {
            let shown = (try? AttributeValue(json: value)).map { compact(ItemFileFormat.plain($0)) }
            replacements.append((placeholder, shown ?? compact(value)))
        }
        var text = expression
        for (placeholder, shown) in replacements.sorted(by: { $0.0.count > $1.0.count }) {
            text = text.replacing(placeholder, with: shown)
        }
        return text
    }

    private static func compact(_ value: JSONValue) -> String {
        JSONWriter(style: .compact).string(from: value)
    }
}

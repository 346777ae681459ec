import JSON

/// Something a DynamoDB description of the table holds that ``LiveTable`` cannot represent: a member the
/// model does not know (`Table.Replicas`), a value it cannot name (a `KeyType` other than HASH or RANGE),
/// or a shape it cannot hold (a table KeySchema with two HASH elements).
///
/// It is named, never dropped: `status` lists it as "not managed", and ``TableDiff`` turns it into a
/// ``BlockedChange``, so a plan against such a table is never "up to date" and apply does not touch a
/// table it cannot fully see (the rule "what the model cannot describe is named, never dropped or called
/// up to date", docs/architecture.md).
public struct UnmanagedField: Sendable, Equatable, CustomStringConvertible {
    /// Where it is in the answer, with indexes named (`Table.GlobalSecondaryIndexes[gsi-x].KeySchema`).
    public var path: String
    /// What the answer holds there, as compact JSON, shortened when long.
    public var value: String

    public init(path: String, value: String) {
        self.path = path
        self.value = value
    }

    init(path: String, json: JSONValue) {
        let text = json.description
        let limit = 160
        self.init(path: path, value: text.count > limit ? String(text.prefix(limit)) + "..." : text)
    }

    public var description: String { "\(path) = \(value)" }
}

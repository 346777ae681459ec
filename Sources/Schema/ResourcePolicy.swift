import JSON

/// A table's resource-based policy (`resource_policy`), DynamoDB's PutResourcePolicy document: kept as
/// the JSON text given, because that is what DynamoDB stores and measures, and compared by meaning.
public enum ResourcePolicy {
    /// "The maximum size supported for a resource-based policy document is 20 KB. DynamoDB counts
    /// whitespaces when calculating the size of a policy against this limit." (PutResourcePolicy)
    public static let maxBytes = 20 * 1024

    /// The policy parsed, or nil when the text is not JSON.
    public static func document(_ text: String) -> JSONValue? {
        try? JSONValue(parsing: text)
    }

    /// The policy with every object's members sorted by name: two texts that differ only in member
    /// order or whitespace have the same normalised form, so the plan shows no change for them.
    /// Text that is not JSON is its own normal form (validation reports it).
    public static func normalised(_ text: String) -> JSONValue {
        guard let document = document(text) else { return .string(text) }
        return sortingMembers(document)
    }

    /// Whether two policy texts say the same.
    public static func same(_ first: String?, _ second: String?) -> Bool {
        switch (first, second) {
        case (nil, nil): true
        case (let first?, let second?): normalised(first) == normalised(second)
        default: false
        }
    }

    /// How many statements the policy has (`Statement` may be one statement or a list of them).
    public static func statementCount(_ text: String) -> Int {
        switch document(text)?["Statement"] {
        case .array(let statements)?: statements.count
        case .object?: 1
        default: 0
        }
    }

    /// `3 statements`, `1 statement`.
    public static func summary(_ text: String) -> String {
        let count = statementCount(text)
        return count == 1 ? "1 statement" : "\(count) statements"
    }

    private static func sortingMembers(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            let members = object.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            return .object(JSONObject(members.map { ($0.key, sortingMembers($0.value)) }))
        case .array(let elements):
            return .array(elements.map(sortingMembers))
        default:
            return value
        }
    }
}

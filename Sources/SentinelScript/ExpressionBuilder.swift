import DynamoDB

/// Builds DynamoDB expressions with every attribute name behind a `#n0` placeholder and every value
/// behind a `:v0` one, so reserved words such as `status`, `user` and `ttl` need no care.
struct ExpressionBuilder {
    /// Placeholder to attribute name, for `ExpressionAttributeNames`.
    private(set) var names: [String: String] = [:]
    /// Placeholder to value, for `ExpressionAttributeValues`.
    private(set) var values: Item = [:]
    /// Keyed by bytes: two spellings of "café" are two attributes and need two placeholders.
    private var placeholders: [AttributeName: String] = [:]

    /// The placeholder of `attribute` (the same one each time it is named).
    mutating func name(_ attribute: String) -> String {
        if let placeholder = placeholders[AttributeName(attribute)] { return placeholder }
        let placeholder = "#n\(placeholders.count)"
        placeholders[AttributeName(attribute)] = placeholder
        names[placeholder] = attribute
        return placeholder
    }

    /// A new placeholder for `value`.
    mutating func value(_ value: AttributeValue) -> String {
        let placeholder = ":v\(values.count)"
        values[AttributeName(placeholder)] = value
        return placeholder
    }

    /// `condition` on `attribute` as expression text.
    mutating func clause(_ attribute: String, _ condition: ItemCondition) -> String {
        let placeholder = name(attribute)
        return condition.expression(name: placeholder) { value($0) }
    }

    /// Every condition joined with `AND`, in the order given; nil when there are none.
    mutating func conjunction(_ conditions: [(String, ItemCondition)]) -> String? {
        conditions.isEmpty ? nil : conditions.map { clause($0.0, $0.1) }.joined(separator: " AND ")
    }
}

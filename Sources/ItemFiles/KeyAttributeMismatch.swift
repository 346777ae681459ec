import DynamoDBModel

/// A key attribute an item lacks or holds with the wrong type, found before a write that DynamoDB
/// would refuse (import and copy check every item first, so bad input writes nothing).
struct KeyAttributeMismatch {
    let name: String
    /// `S`, `N` or `B`: what the table's key schema says.
    let expected: String
    /// The type the item holds (`S`, `N`, `B` or `another type`), nil when it has none.
    let found: String?

    /// The first mismatch of `item` against `keys` (name, type), which the caller sorts by name so the
    /// attribute named in an error does not vary from run to run; nil when the item fits.
    static func first(in item: Item, keys: [(key: String, value: String)]) -> KeyAttributeMismatch? {
        for (name, type) in keys {
            let found: String? =
                switch item[AttributeName(name)] {
                case .string?: "S"
                case .number?: "N"
                case .binary?: "B"
                case nil: nil
                default: "another type"
                }
            if found != type { return KeyAttributeMismatch(name: name, expected: type, found: found) }
        }
        return nil
    }
}

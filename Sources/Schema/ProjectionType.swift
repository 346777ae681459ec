/// Which attributes an index copies from the table: `ALL`, `KEYS_ONLY` or `INCLUDE`.
///
/// Held as text so a wrong name from user input reaches validation (see ``SchemaKeyword``).
public struct ProjectionType: SchemaKeyword {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// `ALL`: every attribute.
    public static let all = ProjectionType(rawValue: "ALL")
    /// `KEYS_ONLY`: the table's and the index's keys.
    public static let keysOnly = ProjectionType(rawValue: "KEYS_ONLY")
    /// `INCLUDE`: the keys and the listed non-key attributes.
    public static let include = ProjectionType(rawValue: "INCLUDE")

    public static let allKnown: [ProjectionType] = [.all, .keysOnly, .include]
}

import JSON

/// The attributes an index projects: a type and, for `INCLUDE`, the non-key attributes.
///
/// The two parts are separate fields (Lua's `projection` and `non_key_attributes`) rather than an
/// enum with a payload, so that a schema can hold `KEYS_ONLY` with non-key attributes, or `INCLUDE`
/// without any, and validation can say so at the right path instead of the input being unrepresentable.
public struct Projection: Sendable, Equatable {
    /// The projection type.
    public var type: ProjectionType
    /// The non-key attributes; only meaningful, and only allowed, with `INCLUDE`.
    public var nonKeyAttributes: [String]

    public init(type: ProjectionType, nonKeyAttributes: [String] = []) {
        self.type = type
        self.nonKeyAttributes = nonKeyAttributes
    }

    /// Attribute names compare by their bytes, as DynamoDB compares them (``KeyAttribute``).
    public static func == (lhs: Projection, rhs: Projection) -> Bool {
        lhs.type == rhs.type && lhs.nonKeyAttributes.count == rhs.nonKeyAttributes.count
            && zip(lhs.nonKeyAttributes, rhs.nonKeyAttributes).allSatisfy { $0.hasSameBytes(as: $1) }
    }

    /// Every attribute.
    public static let all = Projection(type: .all)

    /// Only the table's and the index's key attributes.
    public static let keysOnly = Projection(type: .keysOnly)

    /// The key attributes plus `attributes`.
    public static func include(_ attributes: [String]) -> Projection {
        Projection(type: .include, nonKeyAttributes: attributes)
    }
}

import JSON

/// A key attribute of a table or index: its name and DynamoDB type.
///
/// Names are equal when their bytes are (``ExactString``), as DynamoDB compares them: "café" with a
/// precomposed "é" and with a combining accent are two attributes, however alike Swift finds them.
///
/// An empty name means "not given"; validation reports it as required. That is how a Lua table with a
/// missing `partition_key.name` becomes a schema that can still be checked as a whole.
public struct KeyAttribute: Sendable, Equatable {
    /// The attribute name.
    public var name: String
    /// The attribute type, `S` unless said otherwise (a key written `"id"` in Lua is a string key).
    public var type: AttributeType

    public init(name: String, type: AttributeType = .string) {
        self.name = name
        self.type = type
    }

    public static func == (lhs: KeyAttribute, rhs: KeyAttribute) -> Bool {
        lhs.name.hasSameBytes(as: rhs.name) && lhs.type == rhs.type
    }

    /// A string (`S`) key attribute.
    public static func string(_ name: String) -> KeyAttribute {
        KeyAttribute(name: name, type: .string)
    }

    /// A number (`N`) key attribute.
    public static func number(_ name: String) -> KeyAttribute {
        KeyAttribute(name: name, type: .number)
    }

    /// A binary (`B`) key attribute.
    public static func binary(_ name: String) -> KeyAttribute {
        KeyAttribute(name: name, type: .binary)
    }
}

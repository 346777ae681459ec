/// The DynamoDB type of a key attribute: `S` (string), `N` (number) or `B` (binary).
///
/// Held as text so a wrong type from user input reaches validation (see ``SchemaKeyword``).
public struct AttributeType: SchemaKeyword {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// `S`: a string.
    public static let string = AttributeType(rawValue: "S")
    /// `N`: a number.
    public static let number = AttributeType(rawValue: "N")
    /// `B`: binary data.
    public static let binary = AttributeType(rawValue: "B")

    public static let allKnown: [AttributeType] = [.string, .number, .binary]
}

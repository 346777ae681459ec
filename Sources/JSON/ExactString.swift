/// A string that equals another only when their UTF-8 bytes are the same.
///
/// Swift's `String` compares by canonical equivalence: "café" written with a precomposed "é" and
/// with "e" followed by a combining accent are equal `String`s, and one would replace the other as
/// dictionary keys. JSON member names and DynamoDB attribute names are sequences of code points, so
/// those are two names: an item may hold both, and each must keep its own value. Keys that name
/// such things are held in this type. Ordering is by bytes too, which is how DynamoDB sorts.
public struct ExactString: Sendable, Hashable, Comparable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The text, exactly as given.
    public let text: String

    public init(_ text: String) {
        self.text = text
    }

    public init(stringLiteral text: String) {
        self.text = text
    }

    public var description: String { text }

    public static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        lhs.text.hasSameBytes(as: rhs.text)
    }

    public func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        // The length ends the bytes, so "ab" + "c" and "a" + "bc" hash apart inside larger values.
        hasher.combine(text.utf8.count)
    }

    public static func < (lhs: ExactString, rhs: ExactString) -> Bool {
        lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
    }
}

extension String {
    /// Whether the two strings are the same bytes, not merely canonically equivalent.
    @inlinable
    public func hasSameBytes(as other: String) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8)
    }
}

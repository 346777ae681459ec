/// A JSON number held as its exact decimal text.
///
/// DynamoDB numbers have up to 38 significant digits, more than a `Double` or an `Int64` holds, so
/// a number is never converted on the way in or out: `12345678901234567890123456789012345678` parses,
/// compares and writes back as exactly those digits. Equality is textual (`1.0` and `1` differ), which
/// is what byte-for-byte deterministic output needs; use ``doubleValue`` or ``int64Value`` to compare
/// numerically.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written, always valid JSON number text (RFC 8259 section 6).
    public let text: String

    /// A number from its decimal text, or `nil` when `text` is not exactly one JSON number
    /// (no surrounding whitespace, no `+` sign, no leading zeros, no `NaN` or `Infinity`).
    public init?(_ text: String) {
        guard case .number(let number)? = try? JSONParser().parse(text), number.text == text else {
            return nil
        }
        self = number
    }

    /// A number from an integer; any width converts exactly.
    public init(_ value: some BinaryInteger) {
        text = String(value)
    }

    /// A number from a `Double`, written with the shortest text that reads back as the same `Double`;
    /// `nil` for infinities and NaN, which JSON cannot express.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        text = value.description
    }

    /// Used by the parser, which has already checked the grammar.
    init(validatedText: String) {
        text = validatedText
    }

    public var description: String { text }

    /// The value as an `Int64` when the text is an integer (no fraction, no exponent) that fits.
    public var int64Value: Int64? { Int64(text) }

    /// The value as an `Int` when the text is an integer (no fraction, no exponent) that fits.
    public var intValue: Int? { Int(text) }

    /// The nearest `Double`; large or long numbers lose precision here, never in ``text``.
    public var doubleValue: Double? { Double(text) }
}

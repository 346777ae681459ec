/// A DynamoDB number (`N`): decimal text of up to 38 significant digits, kept exactly as written and
/// never converted through a binary floating-point type.
public struct AttributeNumber: Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The decimal text, `-12.50` or `1E+3`.
    public let text: String

    /// The most significant digits DynamoDB stores.
    public static let maxSignificantDigits = 38

    /// A number from decimal text: an optional sign, digits with an optional fraction, an optional
    /// exponent, and at most 38 significant digits; `nil` otherwise.
    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        self.text = text
    }

    /// A number from an integer; any width converts exactly.
    public init(_ value: some BinaryInteger) {
        text = String(value)
    }

    public init(integerLiteral value: Int) {
        self.init(value)
    }

    public var description: String { text }

    /// The value as an `Int64`, when the text is a plain integer that fits.
    public var int64Value: Int64? { Int64(text) }

    /// The nearest `Double`; long numbers lose precision here, never in ``text``.
    public var doubleValue: Double? { Double(text) }

    private static func isValid(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            bytes = bytes.dropFirst()
        }
        let isDigit: (UInt8) -> Bool = { (0x30...0x39).contains($0) }
        let integer = bytes.prefix(while: isDigit)
        bytes = bytes.dropFirst(integer.count)
        var fraction: ArraySlice<UInt8> = []
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fraction = bytes.prefix(while: isDigit)
            bytes = bytes.dropFirst(fraction.count)
        }
        guard !integer.isEmpty || !fraction.isEmpty else { return false }
        if let marker = bytes.first, marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                bytes = bytes.dropFirst()
            }
            let exponent = bytes.prefix(while: isDigit)
            guard !exponent.isEmpty, exponent.count <= 4 else { return false }
            bytes = bytes.dropFirst(exponent.count)
        }
        guard bytes.isEmpty else { return false }
        // Significant digits: all digits without leading and trailing zeros.
        let digits = Array(integer) + Array(fraction)
        guard let first = digits.firstIndex(where: { $0 != 0x30 }) else { return true }
        let last = digits.lastIndex { $0 != 0x30 }!
        return last - first + 1 <= maxSignificantDigits
    }
}

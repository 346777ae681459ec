/// A DynamoDB number (`N`): decimal text of up to 38 significant digits, in DynamoDB's range (see
/// ``problem(_:)``), kept exactly as written and never converted through a binary floating-point type.
/// Every value of this type is one DynamoDB accepts, so a check made where a number enters (a file, a
/// script) is the check DynamoDB makes.
public struct AttributeNumber: Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The decimal text, `-12.50` or `1E+3`.
    public let text: String

    /// The most significant digits DynamoDB stores.
    public static let maxSignificantDigits = 38

    /// The largest magnitude DynamoDB stores: 38 nines, just under 10^126.
    public static let largest = "9.9999999999999999999999999999999999999E+125"
    /// The smallest magnitude above zero DynamoDB stores.
    public static let smallest = "1E-130"

    /// A number from decimal text: an optional sign, digits with an optional fraction, an optional
    /// exponent, at most 38 significant digits and within DynamoDB's range; `nil` otherwise
    /// (``problem(_:)`` says why).
    public init?(_ text: String) {
        guard Self.problem(text) == nil else { return nil }
        self.text = text
    }

    /// Why DynamoDB would refuse `text` as a number, or nil when it would store it: the one definition
    /// of a DynamoDB number that files, scripts and the client share. DynamoDB takes a zero, or a
    /// magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125 with at most 38
    /// significant digits (leading and trailing zeros do not count).
    public static func problem(_ text: String) -> String? {
        guard let parts = Parts(text) else { return "not a decimal number" }
        // Significant digits: all digits without leading and trailing zeros.
        let digits = Array(parts.integer) + Array(parts.fraction)
        guard let first = digits.firstIndex(where: { $0 != 0x30 }) else { return nil }
        let last = digits.lastIndex { $0 != 0x30 }!
        if last - first + 1 > maxSignificantDigits {
            return "more than \(maxSignificantDigits) significant digits"
        }
        // The value is 0.d₁d₂… × 10^point, d₁ the first significant digit. With at most 38 digits, a
        // point of 126 or less is at most the largest number, and -129 or more at least the smallest.
        let point = parts.integer.count - first + parts.exponent
        if point > 126 { return "larger in magnitude than DynamoDB's largest number, \(largest)" }
        if point < -129 { return "smaller in magnitude than DynamoDB's smallest number, \(smallest)" }
        return nil
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

    /// The parts of decimal text: sign, integer digits, fraction digits and exponent (at most four
    /// digits), or `nil` when the text is not a number. One scanner for validation and the canonical
    /// form, so the two can never disagree on what a number is.
    struct Parts {
        var negative: Bool
        var integer: ArraySlice<UInt8>
        var fraction: ArraySlice<UInt8>
        var exponent: Int

        init?(_ text: String) {
            var bytes = Array(text.utf8)[...]
            negative = false
            if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
                negative = first == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            let isDigit: (UInt8) -> Bool = { (0x30...0x39).contains($0) }
            integer = bytes.prefix(while: isDigit)
            bytes = bytes.dropFirst(integer.count)
            fraction = []
            if bytes.first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
                fraction = bytes.prefix(while: isDigit)
                bytes = bytes.dropFirst(fraction.count)
            }
            guard !integer.isEmpty || !fraction.isEmpty else { return nil }
            exponent = 0
            if let marker = bytes.first, marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
                bytes = bytes.dropFirst()
                var sign = 1
                if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
                    sign = first == UInt8(ascii: "-") ? -1 : 1
                    bytes = bytes.dropFirst()
                }
                let digits = bytes.prefix(while: isDigit)
                guard !digits.isEmpty, digits.count <= 4 else { return nil }
                exponent = sign * Int(String(decoding: digits, as: UTF8.self))!
                bytes = bytes.dropFirst(digits.count)
            }
            guard bytes.isEmpty else { return nil }
        }
    }

}

extension AttributeNumber {
    /// The number in the one form DynamoDB stores and returns for it: plain decimal digits, no leading
    /// or trailing zeros, no exponent, no `+`, and `0` for any zero. `8.0`, `8`, `0.8E1` and `+8.00`
    /// are all `8`; DynamoDB compares keys by value, so two keys whose numbers have the same canonical
    /// form are one key.
    public var canonical: AttributeNumber {
        // `text` passed `isValid` when the number was made, so it has parts.
        guard let parts = Parts(text) else { return self }
        let (negative, integer, fraction, scale) = (
            parts.negative, parts.integer, parts.fraction, parts.exponent
        )
        // digits × 10^(point - digits.count): the point sits after `point` digits.
        var digits = Array(integer) + Array(fraction)
        var point = integer.count + scale
        while digits.first == 0x30 {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == 0x30 { digits.removeLast() }
        guard !digits.isEmpty else { return AttributeNumber(unchecked: "0") }
        var plain: [UInt8]
        if point <= 0 {
            plain = Array("0.".utf8) + Array(repeating: 0x30, count: -point) + digits
        } else if point >= digits.count {
            plain = digits + Array(repeating: 0x30, count: point - digits.count)
        } else {
            plain = Array(digits[..<point]) + [UInt8(ascii: ".")] + Array(digits[point...])
        }
        if negative { plain.insert(UInt8(ascii: "-"), at: 0) }
        return AttributeNumber(unchecked: String(decoding: plain, as: UTF8.self))
    }

    private init(unchecked text: String) {
        self.text = text
    }
}

extension AttributeValue {
    /// The value with every number (in sets, lists and maps too) in its ``AttributeNumber/canonical``
    /// form: two values DynamoDB holds equal have equal canonical forms. Names and strings are kept as
    /// they are.
    public var canonical: AttributeValue {
        switch self {
        case .number(let number): .number(number.canonical)
        case .numberSet(let numbers): .numberSet(numbers.map(\.canonical))
        case .list(let values): .list(values.map(\.canonical))
        case .map(let members): .map(members.mapValues(\.canonical))
        default: self
        }
    }

    /// The attributes of `item` named in `keyNames`, canonical: what identifies the item to DynamoDB.
    public static func canonicalKey(of item: Item, keyNames: [String]) -> Item {
        var key: Item = [:]
        for name in keyNames {
            if let value = item[AttributeName(name)] { key[AttributeName(name)] = value.canonical }
        }
        return key
    }
}

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

extension AttributeNumber {
    /// The number in the one form DynamoDB stores and returns for it: plain decimal digits, no leading
    /// or trailing zeros, no exponent, no `+`, and `0` for any zero. `8.0`, `8`, `0.8E1` and `+8.00`
    /// are all `8`; DynamoDB compares keys by value, so two keys whose numbers have the same canonical
    /// form are one key.
    public var canonical: AttributeNumber {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
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
        var scale = 0
        if !bytes.isEmpty {  // an exponent: isValid allowed at most 4 digits
            scale = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)) ?? 0
        }
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
            if let value = item[name] { key[name] = value.canonical }
        }
        return key
    }
}

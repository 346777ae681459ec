/// A decimal number in canonical form, `sign × 0.d₁d₂…dₙ × 10^exponent`, so that numbers written
/// differently (`1E+3`, `1000.0`, `1000`) compare equal and any two compare exactly, without going
/// through a binary float. It decides whether a DynamoDB `N` fits a Lua integer or float exactly.
struct ExactDecimal: Comparable, Hashable, Sendable {
    /// -1, 0 or 1.
    let sign: Int
    /// The significant digits (0...9) without leading or trailing zeros; empty for zero.
    let digits: [UInt8]
    /// Where the decimal point goes, counted from the left of the first digit.
    let exponent: Int

    static let zero = ExactDecimal(sign: 0, digits: [], exponent: 0)

    private init(sign: Int, digits: [UInt8], exponent: Int) {
        self.sign = sign
        self.digits = digits
        self.exponent = exponent
    }

    /// Parses decimal text: an optional sign, digits with an optional fraction, an optional exponent.
    init?(_ text: String) {
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
        guard !integer.isEmpty || !fraction.isEmpty else { return nil }
        var scale = 0
        if let marker = bytes.first, marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            guard let parsed = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)), abs(parsed) < 100_000
            else { return nil }
            scale = parsed
        } else if !bytes.isEmpty {
            return nil
        }
        var all = (integer + fraction).map { $0 - 0x30 }[...]
        var point = integer.count + scale
        while all.first == 0 {
            all = all.dropFirst()
            point -= 1
        }
        while all.last == 0 { all = all.dropLast() }
        if all.isEmpty {
            self = .zero
        } else {
            self.init(sign: negative ? -1 : 1, digits: Array(all), exponent: point)
        }
    }

    init(_ value: Int64) {
        self = ExactDecimal(String(value))!
    }

    /// A finite double by its shortest round-tripping text (Swift prints `0.1` for 0.1), which is what
    /// a script means by the literal it wrote; nil for NaN and infinities.
    init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.init(value.description)
    }

    /// The value as a Lua integer, when it is a whole number in Int64's range.
    var int64Value: Int64? {
        if sign == 0 { return 0 }
        guard exponent >= digits.count, exponent <= 19 else { return nil }
        var text = sign < 0 ? "-" : ""
        text += digits.map { String($0) }.joined()
        text += String(repeating: "0", count: exponent - digits.count)
        return Int64(text)
    }

    /// The value as a Lua float, when some double has exactly this shortest text.
    var exactDoubleValue: Double? {
        guard let double = Double(text), let back = ExactDecimal(double), back == self else { return nil }
        return double
    }

    /// Plain scientific text (`-0.123E5`), enough for parsing back.
    var text: String {
        if sign == 0 { return "0" }
        return (sign < 0 ? "-0." : "0.") + digits.map { String($0) }.joined() + "E\(exponent)"
    }

    static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        if lhs.sign != rhs.sign { return lhs.sign < rhs.sign }
        if lhs.sign == 0 { return false }
        return lhs.sign > 0 ? magnitudeLess(lhs, rhs) : magnitudeLess(rhs, lhs)
    }

    private static func magnitudeLess(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Bool {
        if lhs.exponent != rhs.exponent { return lhs.exponent < rhs.exponent }
        // Trailing zeros are stripped, so a proper prefix is the smaller number.
        return lhs.digits.lexicographicallyPrecedes(rhs.digits)
    }
}

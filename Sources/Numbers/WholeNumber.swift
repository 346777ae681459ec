/// The one number rule: every number a script or a command line gives that becomes a Swift integer or
/// a duration is converted here, and only here.
///
/// Swift's `Int(_: Double)` traps on NaN, on infinities and on anything out of range, and a trap
/// kills the process where no `pcall` can help (`sentinel.migrate { segments = 0/0 }` used to end
/// with SIGILL). These conversions never trap: a value they cannot take is a ``NumberRuleError``
/// naming the field. `scripts/lint-numbers` fails the build's checks when a conversion from a
/// floating-point value appears anywhere else in `Sources`.
public enum WholeNumber {
    /// A whole number in `range`, from a Lua float or a command line's `Double`: NaN, infinities,
    /// fractions and values out of range are refused.
    public static func int(_ value: Double, in range: ClosedRange<Int>, field: String) throws(NumberRuleError)
        -> Int
    {
        // `Int(exactly:)` is nil for NaN, infinities, fractions and values past `Int`: it never traps.
        guard let whole = Int(exactly: value), range.contains(whole) else {
            throw NumberRuleError(field: field, expected: wholeNumber(in: range), got: text(value))
        }
        return whole
    }

    /// A whole number in `range`, from a Lua integer.
    public static func int(_ value: Int64, in range: ClosedRange<Int>, field: String) throws(NumberRuleError)
        -> Int
    {
        guard let whole = Int(exactly: value), range.contains(whole) else {
            throw NumberRuleError(field: field, expected: wholeNumber(in: range), got: String(value))
        }
        return whole
    }

    /// The longest wait any option accepts: a year is past any real wait, and far from the limits of a
    /// `Duration` counted in milliseconds.
    public static let maximumSeconds: Double = 365 * 24 * 3600

    /// A number of seconds greater than 0 and at most `maximum` (a year unless said), as a `Duration`
    /// rounded up to the millisecond, so that a tiny positive value never becomes no time at all.
    public static func duration(seconds value: Double, atMost maximum: Double = maximumSeconds, field: String)
        throws(NumberRuleError) -> Duration
    {
        let bound = min(maximum, maximumSeconds)
        // Comparisons with NaN are false, so NaN fails the guard too.
        guard value > 0, value <= bound, let milliseconds = Int64(exactly: (value * 1000).rounded(.up)) else {
            throw NumberRuleError(field: field, expected: seconds(atMost: bound), got: text(value))
        }
        return .milliseconds(milliseconds)
    }

    /// A computed value (a rate, a delay, a count of minutes for a message) as an integer, rounded as
    /// `rule` says and clamped to `Int`'s range, NaN as 0: for numbers the program works out itself,
    /// where an error would help nobody and a trap would end the run.
    public static func clamped(_ value: Double, rounding rule: FloatingPointRoundingRule = .towardZero) -> Int
    {
        if value.isNaN { return 0 }
        let rounded = value.rounded(rule)
        // 2^63 is the first Double past Int.max; -2^63 is exactly Int.min.
        if rounded >= 9_223_372_036_854_775_808.0 { return .max }
        if rounded <= -9_223_372_036_854_775_808.0 { return .min }
        return Int(exactly: rounded) ?? 0
    }

    /// `a number of seconds greater than 0 and at most 31536000`.
    public static func seconds(atMost maximum: Double = maximumSeconds) -> String {
        "a number of seconds greater than 0 and at most \(text(min(maximum, maximumSeconds)))"
    }

    /// `a whole number from 1 to 1000`, `a whole number of at least 1`, `a whole number`.
    public static func wholeNumber(in range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (.min, .max): "a whole number"
        case (let low, .max): "a whole number of at least \(low)"
        case (.min, let high): "a whole number of at most \(high)"
        case (let low, let high): "a whole number from \(low) to \(high)"
        }
    }

    /// `nan`, `inf`, `-inf`, `0.5`, `1e300`, and a whole value as plain digits (`31536000`,
    /// `10000000000000000` for `1e16`), as the user most likely wrote it. Never Swift's `-nan` (a NaN
    /// with its sign bit set, which is what Lua's `0/0` makes) or `1e+16`.
    public static func text(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e15, let whole = Int(exactly: value) {
            return String(whole)
        }
        let text = String(value)
        // `1.5e+16`: a whole number below 10^21 is written out; larger ones keep the exponent, as `1e300`.
        let parts = text.split(separator: "e", maxSplits: 1)
        guard parts.count == 2, parts[1].hasPrefix("+"), let exponent = Int(parts[1].dropFirst()) else {
            return text
        }
        let mantissa = parts[0].split(separator: ".", maxSplits: 1)
        let fraction = mantissa.count == 2 ? String(mantissa[1]) : ""
        guard exponent <= 20, fraction.count <= exponent, let integer = mantissa.first else {
            return String(parts[0]) + "e" + String(exponent)
        }
        return String(integer) + fraction + String(repeating: "0", count: exponent - fraction.count)
    }
}

import Numbers

// Lua numbers that the host needs as Swift integers or durations pass through the one number rule
// (``WholeNumber``), never through Swift's trapping `Int(_:)`.
extension LuaValue {
    /// This value as a whole number in `range`: a Lua integer, or a float with a whole value in range.
    /// Anything else (NaN, `math.huge`, `0.5`, a string) is a ``NumberRuleError`` naming `field`.
    public func wholeNumber(in range: ClosedRange<Int>, field: String) throws(NumberRuleError) -> Int {
        switch self {
        case .integer(let value): try WholeNumber.int(value, in: range, field: field)
        case .number(let value): try WholeNumber.int(value, in: range, field: field)
        default:
            throw NumberRuleError(field: field, expected: WholeNumber.wholeNumber(in: range), got: typeName)
        }
    }

    /// This value as a number of seconds greater than 0 and at most `maximum`, rounded up to the
    /// millisecond.
    public func seconds(atMost maximum: Double = WholeNumber.maximumSeconds, field: String)
        throws(NumberRuleError) -> Duration
    {
        switch self {
        case .integer(let value):
            // A Lua integer of any size: past a year it is refused, so the float's rounding cannot matter.
            try WholeNumber.duration(seconds: Double(value), atMost: maximum, field: field)
        case .number(let value): try WholeNumber.duration(seconds: value, atMost: maximum, field: field)
        default:
            throw NumberRuleError(
                field: field, expected: WholeNumber.seconds(atMost: maximum), got: typeName)
        }
    }
}

extension LuaCall {
    /// `option 'segments' of sentinel.migrate`: how the number rule names an option of this function.
    public func option(_ name: String) -> String {
        "option '\(name)' of \(functionName)"
    }
}

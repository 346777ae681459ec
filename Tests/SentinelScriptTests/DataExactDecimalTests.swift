import Testing

@testable import SentinelScript

/// Exact decimals: canonical forms, exact ordering, and which N values fit Lua numbers.
@Suite struct DataExactDecimalTests {
    @Test func equalValuesWrittenDifferentlyAreEqual() throws {
        let forms = ["1000", "1E+3", "1000.00", "0.1e4", "+1000", "01000"]
        let values = forms.compactMap(ExactDecimal.init)
        #expect(values.count == forms.count)
        #expect(Set(values).count == 1)
        #expect(ExactDecimal("-0.0") == ExactDecimal.zero)
        #expect(ExactDecimal("1.2.3") == nil && ExactDecimal("e5") == nil && ExactDecimal("") == nil)
    }

    @Test func orderIsExactBeyondDoubles() throws {
        let sorted = [
            "-99999999999999999999999999999999999999", "-1.5", "-0.000001", "0", "0.1", "0.10000000000000001",
            "12345678901234567890.4", "12345678901234567890.5", "99999999999999999999999999999999999999",
        ].compactMap(ExactDecimal.init)
        #expect(sorted.count == 9)
        for (lower, higher) in zip(sorted, sorted.dropFirst()) {
            #expect(lower < higher)
        }
    }

    @Test func luaNumbersFitWhenExact() throws {
        #expect(ExactDecimal("9223372036854775807")?.int64Value == Int64.max)
        #expect(ExactDecimal("-9223372036854775808")?.int64Value == Int64.min)
        #expect(ExactDecimal("9223372036854775808")?.int64Value == nil)
        #expect(ExactDecimal("12.5")?.int64Value == nil)
        #expect(ExactDecimal("1.5E1")?.int64Value == 15)
        #expect(ExactDecimal("0.1")?.exactDoubleValue == 0.1)
        #expect(ExactDecimal("12345678901234567890.5")?.exactDoubleValue == nil)
        #expect(ExactDecimal("0.1000000000000000055511151231257827")?.exactDoubleValue == nil)
        #expect(ExactDecimal(1e20) == ExactDecimal("100000000000000000000"))
        #expect(ExactDecimal(Double.nan) == nil && ExactDecimal(Double.infinity) == nil)
    }
}

import Foundation
import Numbers
import Testing

/// The one number rule: no input traps, every refusal names its field and what it got.
@Suite struct WholeNumberTests {
    /// The values the fuzz tests give every numeric option, as Doubles.
    static let hostile: [Double] = [
        .nan, .infinity, -.infinity, Double(Int64.max), -9_223_372_036_854_775_808,
        9_223_372_036_854_775_808, -1, 0, 1e300, 0.5, -0.0, .ulpOfOne, .greatestFiniteMagnitude,
        -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
    ]

    @Test(arguments: hostile)
    func aDoubleIsAWholeNumberInRangeOrAnError(_ value: Double) {
        do {
            let whole = try WholeNumber.int(
                value, in: 1...1000, field: "option 'segments' of sentinel.migrate")
            #expect((1...1000).contains(whole))
        } catch {
            #expect(error.field == "option 'segments' of sentinel.migrate")
            #expect(
                error.description.hasPrefix("option 'segments' of sentinel.migrate must be a whole number"))
        }
    }

    @Test func theMessageSaysWhatWasGiven() {
        let cases: [(Double, String)] = [
            (.nan, "nan"), (.infinity, "inf"), (-.infinity, "-inf"), (0.5, "0.5"), (1e300, "1e300"),
            (0, "0"),
            (-1, "-1"),
            // Lua's 0/0 is a NaN with its sign bit set, which Swift prints as -nan.
            (-Double.nan, "nan"), (0.0 / 0.0 * -1, "nan"),
            // Whole numbers as plain digits, as written (1e16), not 1e+16.
            (1e16, "10000000000000000"), (-2.5e17, "-250000000000000000"), (1e21, "1e21"),
            (1.5e-7, "1.5e-07"),
        ]
        for (value, shown) in cases {
            #expect(throws: NumberRuleError.self) {
                try WholeNumber.int(value, in: 1...1000, field: "option 'segments' of sentinel.migrate")
            }
            do {
                _ = try WholeNumber.int(value, in: 1...1000, field: "option 'segments' of sentinel.migrate")
            } catch {
                #expect(
                    error.description
                        == "option 'segments' of sentinel.migrate must be a whole number from 1 to 1000, got \(shown)"
                )
            }
        }
    }

    @Test func wholeValuesInRangePass() throws {
        #expect(try WholeNumber.int(4.0, in: 1...1000, field: "f") == 4)
        #expect(try WholeNumber.int(Int64(1000), in: 1...1000, field: "f") == 1000)
        #expect(try WholeNumber.int(-5.0, in: Int.min...Int.max, field: "f") == -5)
        #expect(throws: NumberRuleError.self) { try WholeNumber.int(Int64.max, in: 1...1000, field: "f") }
        #expect(throws: NumberRuleError.self) { try WholeNumber.int(Int64.min, in: 1...1000, field: "f") }
    }

    @Test(arguments: hostile)
    func secondsAreADurationOrAnError(_ value: Double) {
        do {
            let duration = try WholeNumber.duration(seconds: value, field: "--timeout")
            #expect(duration > .zero && duration <= .seconds(365 * 24 * 3600))
        } catch {
            #expect(error.description.hasPrefix("--timeout must be a number of seconds greater than 0"))
        }
    }

    @Test func secondsRoundUpToTheMillisecond() throws {
        #expect(try WholeNumber.duration(seconds: 0.0001, field: "f") == .milliseconds(1))
        #expect(try WholeNumber.duration(seconds: 31_536_000, field: "f") == .seconds(31_536_000))
        #expect(throws: NumberRuleError.self) {
            try WholeNumber.duration(seconds: 31_536_000.001, field: "f")
        }
    }

    @Test(arguments: hostile)
    func clampingNeverTraps(_ value: Double) {
        let clamped = WholeNumber.clamped(value)
        if value.isNaN { #expect(clamped == 0) }
        if value >= 9_223_372_036_854_775_808 { #expect(clamped == .max) }
        if value <= -9_223_372_036_854_775_808 { #expect(clamped == .min) }
    }

    /// scripts/lint-numbers passes: no conversion from a float outside Sources/Numbers.
    @Test func noOtherConversionFromAFloatInSources() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let process = Process()
        process.executableURL = root.appendingPathComponent("scripts/lint-numbers")
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
    }
}

import ArgumentParser
import Numbers

/// The ranges of the numeric options, through the one number rule (``WholeNumber``): a value past
/// them would trap when it is turned into an integer count of milliseconds or bytes, so it is a usage
/// error that names the option instead.
enum OptionRange {
    /// The largest memory limit: 1 TiB, in megabytes; far below `Int.max` once turned into bytes.
    static let maximumMegabytes = 1 << 20

    /// A number of seconds greater than 0 and at most a year, as a `Duration`: validation and use
    /// call the same conversion, so what was checked is what is used.
    static func duration(_ value: Double?, option: String) throws(ValidationError) -> Duration? {
        guard let value else { return nil }
        do throws(NumberRuleError) {
            return try WholeNumber.duration(seconds: value, field: option)
        } catch {
            throw ValidationError("\(error) (a year is 31536000)")
        }
    }

    /// Refuses a number of seconds that is not positive, not finite or more than a year.
    static func checkSeconds(_ value: Double?, option: String) throws(ValidationError) {
        _ = try duration(value, option: option)
    }

    /// How a whole-number option is read from its text, by the rule scripts' options follow: a number
    /// whose value is whole in any spelling (`1000`, `1e3`, `4.0`) is taken; a fraction, NaN, an
    /// infinity or a value out of range is refused with the option, its range and the value in plain
    /// digits; text that is no number at all is named as given. (ArgumentParser's own refusal of `1.5`
    /// for an `Int` says only that the value is invalid.)
    static func wholeNumber(_ option: String, in range: ClosedRange<Int>, note: String = "")
        -> @Sendable (String) throws -> Int
    {
        { text in
            do throws(NumberRuleError) {
                if let whole = Int64(text) { return try WholeNumber.int(whole, in: range, field: option) }
                if let number = Double(text) { return try WholeNumber.int(number, in: range, field: option) }
            } catch {
                throw ValidationError("\(error)\(note)")
            }
            throw ValidationError(
                "\(option) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'\(note)"
            )
        }
    }

    /// The note that follows a memory limit's range.
    static let megabytesNote = " (1 TiB is \(maximumMegabytes))"

    /// Bytes in `megabytes` megabytes, once ``wholeNumber(_:in:note:)`` has let the value through.
    static func bytes(megabytes: Int) -> Int {
        megabytes.multipliedReportingOverflow(by: 1_048_576).partialValue
    }
}

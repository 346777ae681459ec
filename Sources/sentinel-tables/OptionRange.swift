import ArgumentParser

/// The ranges of the numeric options. A value past them would trap when it is turned into an integer
/// count of milliseconds or bytes, so it is a usage error that names the option instead.
enum OptionRange {
    /// The longest time any option accepts: a year is past any real wait, and far from the integer
    /// limits (a `Duration` of milliseconds in an `Int64`).
    static let maximumSeconds: Double = 365 * 24 * 3600
    /// The largest memory limit: 1 TiB, in megabytes; far below `Int.max` once turned into bytes.
    static let maximumMegabytes = 1 << 20

    /// Refuses a number of seconds that is not positive, not finite or more than a year.
    static func checkSeconds(_ value: Double?, option: String) throws {
        guard let value else { return }
        guard value > 0, value <= maximumSeconds else {
            throw ValidationError(
                "\(option) must be a number of seconds greater than 0 and at most "
                    + "\(Int(maximumSeconds)) (365 days), not \(text(value))")
        }
    }

    /// Refuses a number of megabytes that is not positive or more than 1 TiB.
    static func checkMegabytes(_ value: Int?, option: String) throws {
        guard let value else { return }
        guard value > 0, value <= maximumMegabytes else {
            throw ValidationError(
                "\(option) must be a number of megabytes from 1 to \(maximumMegabytes) (1 TiB), not \(value)")
        }
    }

    /// `1e+16` as `1e+16`, `-5.0` as `-5`: the value as the user most likely wrote it.
    private static func text(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}

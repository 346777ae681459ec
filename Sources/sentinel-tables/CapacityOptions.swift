import ArgumentParser
import DynamoDB
import Numbers

/// `--max-rcu`, `--max-wcu` and `--max-capacity-percent`: the capacity budget of a bulk command
/// (export, import, migrate, the REPL's scans), so that it leaves a live table's capacity to the
/// application. Whole numbers by the one number rule, checked before anything runs.
struct CapacityOptions: ParsableArguments {
    /// The most units per second an option takes: far past any table's capacity (DynamoDB's default
    /// table quota is 40,000 of each), far from any overflow.
    static let maximumUnits = 10_000_000

    @Option(
        name: .customLong("max-rcu"), parsing: .unconditional,
        help: "Read at most this many read capacity units per second (1 to 10000000).",
        transform: OptionRange.wholeNumber("--max-rcu", in: 1...maximumUnits))
    var maxRCU: Int?

    @Option(
        name: .customLong("max-wcu"), parsing: .unconditional,
        help: "Write at most this many write capacity units per second (1 to 10000000).",
        transform: OptionRange.wholeNumber("--max-wcu", in: 1...maximumUnits))
    var maxWCU: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Use at most this share of the table's capacity (1 to 100).",
            discussion: "Of its provisioned capacity, or an on-demand table's maximum throughput."),
        transform: OptionRange.wholeNumber("--max-capacity-percent", in: 1...100))
    var maxCapacityPercent: Int?

    var isSet: Bool { maxRCU != nil || maxWCU != nil || maxCapacityPercent != nil }

    /// Refuses the option for a kind of capacity `command` does not use (`--max-wcu` on export, which
    /// only reads): a limit on nothing would be accepted and do nothing.
    func requireUsed(read: Bool, write: Bool, command: String) throws {
        if !read, maxRCU != nil {
            throw ValidationError("--max-rcu limits nothing for \(command): it reads nothing (use --max-wcu)")
        }
        if !write, maxWCU != nil {
            throw ValidationError(
                "--max-wcu limits nothing for \(command): it writes nothing (use --max-rcu)")
        }
    }

    /// The budget: the units given, else the percentage of `table`'s capacity (`read`, `write`: which
    /// kinds the work uses, `table` the table read for the percentage); nil when no option is set.
    func budget(
        client: DynamoDBClient, table: String?, read: Bool, write: Bool, percentOfWrites: Bool = true,
        onWait: (@Sendable () -> Void)? = nil
    ) async throws(DynamoDBError) -> CapacityBudget? {
        guard isSet else { return nil }
        var units: (read: Double?, write: Double?) = (maxRCU.map(Double.init), maxWCU.map(Double.init))
        let shareRead = read && units.read == nil
        let shareWrite = write && percentOfWrites && units.write == nil
        if let percent = maxCapacityPercent, let table, shareRead || shareWrite {
            let share = try CapacityBudget.share(
                percent: percent, of: try await client.describeTable(table), read: shareRead,
                write: shareWrite)
            units = (units.read ?? share.read, units.write ?? share.write)
        }
        return CapacityBudget(
            readUnits: read ? units.read : nil, writeUnits: write ? units.write : nil, onWait: onWait)
    }
}

extension CapacityOptions {
    /// What the work consumed of its budget, for its last lines: `TABLE: 2,000 WCU consumed, 398 WCU/s
    /// on average (budget 400 WCU/s)`, a line per kind the budget limits; none without a budget.
    static func report(_ budget: CapacityBudget?, table: String, started: ContinuousClock.Instant) -> String {
        guard let budget else { return "" }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var text = ""
        for kind in [CapacityBudget.Kind.read, .write] {
            guard let usage = budget.usage(kind) else { continue }
            let average = seconds > 0 ? usage.consumed / seconds : 0
            text +=
                "\(table): \(TransferProgress.grouped(WholeNumber.clamped(usage.consumed.rounded(.up)))) "
                + "\(kind.unitName) consumed, \(Self.decimal(average)) \(kind.unitName)/s on average "
                + "(budget \(TransferProgress.grouped(WholeNumber.clamped(usage.limit))) \(kind.unitName)/s)\n"
        }
        return text
    }

    /// A rate with one decimal: `39.8`.
    private static func decimal(_ value: Double) -> String {
        let tenths = WholeNumber.clamped(value * 10, rounding: .toNearestOrAwayFromZero)
        return "\(TransferProgress.grouped(tenths / 10)).\(tenths % 10)"
    }
}

import DynamoDB
import Numbers
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The progress line of export and import on a terminal: items done, items per second and, when
/// known, the total (an estimate for export: DynamoDB's ItemCount), redrawn in place at most ten times
/// a second. Not shown when standard error is not a terminal (a CI log gets the summary alone).
final class TransferProgress: Sendable {
    private struct State {
        var lastDrawn: ContinuousClock.Instant?
        var drewAny = false
        /// The last update, when it came too soon after the one drawn to be drawn itself.
        var skipped: (done: Int, total: Int?, estimated: Bool, at: ContinuousClock.Instant)?
        /// The last update, drawn again when the capacity budget starts a wait.
        var last: (done: Int, total: Int?, estimated: Bool) = (0, nil, false)
        /// The work's capacity budget, whose use the line shows.
        var budget: CapacityBudget?
    }

    private let verb: String
    /// When the work began: what its average rates are over.
    let started = ContinuousClock.now
    private let state = Mutex(State())
    private let onTerminal = isatty(STDERR_FILENO) == 1

    init(verb: String) {
        self.verb = verb
    }

    /// `done` items so far of `total` (`estimated`: DynamoDB's count, which can be hours old).
    func update(done: Int, total: Int?, estimated: Bool) {
        guard onTerminal else { return }
        let now = ContinuousClock.now
        let due = state.withLock { state -> Bool in
            state.last = (done, total, estimated)
            if let last = state.lastDrawn, now - last < .milliseconds(100), done != total {
                state.skipped = (done, total, estimated, now)
                return false
            }
            state.lastDrawn = now
            state.drewAny = true
            state.skipped = nil
            return true
        }
        guard due else { return }
        draw(done: done, total: total, estimated: estimated, at: now)
    }

    /// A capacity budget whose use the line shows from now on (units per second against the budget,
    /// and `waiting for capacity` while a request waits for it). Made with ``capacityWaitStarted()``
    /// as its wait observer, so that a wait shows at once.
    func show(_ budget: CapacityBudget?) {
        state.withLock { $0.budget = budget }
    }

    /// The budget shown, if any.
    var budget: CapacityBudget? { state.withLock { $0.budget } }

    /// What the work consumed of its budget (``CapacityOptions/report(_:table:started:)``), shown
    /// whether or not standard error is a terminal: a log should say it too.
    func budgetReport(table: String) -> String {
        CapacityOptions.report(budget, table: table, started: started)
    }

    /// Draws the line again at once (a wait can follow an update by a millisecond, which the ten
    /// draws a second would skip): a request began to wait for the budget.
    func capacityWaitStarted() {
        guard onTerminal else { return }
        let now = ContinuousClock.now
        let last = state.withLock { state in
            state.lastDrawn = now
            state.drewAny = true
            state.skipped = nil
            return state.last
        }
        draw(done: last.done, total: last.total, estimated: last.estimated, at: now)
    }

    /// Ends the progress line, if one was drawn, so that what follows starts on a line of its own. An
    /// update that came too soon to be drawn is drawn first: the line ends on the final count even when
    /// it never reached the total (an estimate, or items a migration left out).
    func finish() {
        let (drewAny, skipped) = state.withLock { state in
            defer { state.skipped = nil }
            return (state.drewAny, state.skipped)
        }
        if let skipped {
            draw(done: skipped.done, total: skipped.total, estimated: skipped.estimated, at: skipped.at)
        }
        if drewAny { StandardError.write("\n") }
    }

    private func draw(done: Int, total: Int?, estimated: Bool, at now: ContinuousClock.Instant) {
        let seconds =
            Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18
        var line = "\(verb) \(Self.grouped(done))"
        if let total { line += " of \(estimated ? "~" : "")\(Self.grouped(total))" }
        line += " items"
        if seconds >= 0.5 {
            line += " (\(Self.grouped(WholeNumber.clamped(Double(done) / seconds))) items/s)"
        }
        if let budget = state.withLock({ $0.budget }) {
            for kind in [CapacityBudget.Kind.read, .write] {
                guard let usage = budget.usage(kind) else { continue }
                let rate = seconds >= 0.5 ? WholeNumber.clamped(usage.consumed / seconds) : 0
                line +=
                    ", \(Self.grouped(rate)) of \(Self.grouped(WholeNumber.clamped(usage.limit))) \(kind.unitName)/s"
                if usage.waiting { line += " (waiting for capacity)" }
                if usage.throttleFactor < 1 { line += " (throttled: slowed down)" }
            }
        }
        StandardError.write("\r\u{1B}[K\(line)")
    }

    /// `12345678` as `12,345,678`.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var text = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return value < 0 ? "-" + text : text
    }
}

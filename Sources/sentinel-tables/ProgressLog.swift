import Provisioning
import Synchronization

/// Prints apply and delete progress on stderr: each step as it starts, and while a table or index is
/// being waited for, a line with what it waits for and for how long (at most one per table every few
/// seconds, so long index backfills do not flood a CI log).
final class ProgressLog: Sendable {
    /// Put before every line: `[dev] ` when several targets run at once.
    private let prefix: String
    private let lastWaitLine = Mutex<[String: Duration]>([:])
    private let interval: Duration = .seconds(5)

    init(prefix: String = "") {
        self.prefix = prefix
    }

    func handle(_ event: ProvisioningEvent) {
        switch event {
        case .planned:
            break
        case .stepStarted(let table, let step):
            // The step's waits start from zero: the last line of an earlier wait must not hold them back.
            lastWaitLine.withLock { _ = $0.removeValue(forKey: table) }
            StandardError.write("\(prefix)\(table): \(step.symbol) \(step.summary)\n")
        case .waiting(let table, let what, let elapsed):
            let due = lastWaitLine.withLock { lines -> Bool in
                // A wait that began after the last line (its time is below that line's) starts afresh.
                let last = lines[table].flatMap { $0 <= elapsed ? $0 : nil } ?? .zero
                guard elapsed >= .seconds(2), elapsed - last >= interval || last == .zero else {
                    return false
                }
                lines[table] = elapsed
                return true
            }
            if due {
                StandardError.write("\(prefix)\(table): waiting for \(what) (\(Self.format(elapsed)))\n")
            }
        case .retrying(let table, let step, let reason, let delay):
            // Always shown: a refusal DynamoDB's rules say will pass is news, and retries are seconds apart.
            StandardError.write(
                "\(prefix)\(table): \(step.symbol) \(step.summary): \(reason); retrying in \(Self.format(delay))\n"
            )
        case .finished(let result):
            lastWaitLine.withLock { _ = $0.removeValue(forKey: result.table) }
        case .deleted(let table):
            StandardError.write("\(prefix)\(table): deleted\n")
        }
    }

    private static func format(_ elapsed: Duration) -> String {
        if elapsed < .seconds(1) { return "\(elapsed.components.attoseconds / 1_000_000_000_000_000) ms" }
        let seconds = Int(elapsed.components.seconds)
        return seconds >= 60 ? "\(seconds / 60) min \(seconds % 60) s" : "\(seconds) s"
    }
}

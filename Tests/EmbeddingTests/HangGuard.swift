import Synchronization
import Testing

/// A bound on how long a test waits for work that must end, so that a regression fails the test
/// instead of hanging the suite. It is no timing assertion: the bound is far beyond any machine's
/// pace, and a test asserts how the work ended, never how soon. It also covers the wait for a thread:
/// on a busy two-core machine the suite's blocking tests can hold the few threads async work runs on
/// for minutes (two minutes were once exceeded with a build and two suites at once).
enum HangGuard {
    static let bound: Duration = .seconds(600)

    /// What `work` returned, or nil (recorded as an issue) if it had not ended within ``bound``.
    static func result<Value: Sendable>(
        of work: @escaping @Sendable () async -> Value, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> Value? {
        let ended: Value? = await withCheckedContinuation { continuation in
            let waiting = Waiting(continuation)
            let timer = Task {
                try? await Task.sleep(for: bound)
                waiting.resume(returning: nil)
            }
            Task {
                let value = await work()
                // Resumed before the timer is cancelled: a cancelled timer resumes with nil at once.
                waiting.resume(returning: value)
                timer.cancel()
            }
        }
        if ended == nil {
            Issue.record("did not end within \(bound): it hangs", sourceLocation: sourceLocation)
        }
        return ended
    }

    /// The continuation the work and the timer race to resume: the first resumes it, the other finds
    /// it taken.
    private final class Waiting<Value: Sendable>: Sendable {
        private let continuation: Mutex<CheckedContinuation<Value?, Never>?>

        init(_ continuation: CheckedContinuation<Value?, Never>) {
            self.continuation = Mutex(continuation)
        }

        func resume(returning value: Value?) {
            continuation.withLock { $0.take() }?.resume(returning: value)
        }
    }
}

import Synchronization

/// Whether the task a ``ScriptHost`` works for was cancelled: set from the cancelling thread, read
/// by the host's before each run, so a cancelled `withHost` body cannot start another script.
final class HostCancellation: Sendable {
    private let cancelled = Atomic<Bool>(false)

    init() {}

    func cancel() {
        cancelled.store(true, ordering: .releasing)
    }

    /// Throws `CancellationError` once cancelled.
    func check() throws {
        if cancelled.load(ordering: .acquiring) { throw CancellationError() }
    }
}

import Synchronization

/// The work under way for one ``FleetMember``, so that shutting the member down stops it rather than
/// leaving it to wait on AWS: each piece runs as a task of its own, which ``shutDown()`` cancels, as
/// does the cancellation of the task that asked for it. Once shut down, no new piece starts.
///
/// Cancelling is what reaches every kind of wait: a script waiting for AWS is interrupted (its
/// host's `withHost` passes the cancellation on), and a request under way is abandoned.
final class MemberWork: Sendable {
    private struct State {
        var isShutDown = false
        var lastID = 0
        var cancels: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    init() {}

    var isShutDown: Bool { state.withLock { $0.isShutDown } }

    /// Runs `work` and returns what it returned; nil, without running it, after ``shutDown()``.
    func run<Value: Sendable>(_ work: @escaping @Sendable () async -> Value) async -> Value? {
        // A task of its own, not the caller's, since only a task's own code can cancel it otherwise;
        // made and registered under the lock, so that a shutdown either refuses it or cancels it.
        let started = state.withLock { state -> (id: Int, task: Task<Value, Never>)? in
            guard !state.isShutDown else { return nil }
            state.lastID += 1
            let task = Task { await work() }
            state.cancels[state.lastID] = { task.cancel() }
            return (state.lastID, task)
        }
        guard let (id, task) = started else { return nil }
        defer { state.withLock { _ = $0.cancels.removeValue(forKey: id) } }
        return await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Starts nothing more, and cancels every piece of work under way (without waiting for it).
    func shutDown() {
        let cancels = state.withLock { state in
            state.isShutDown = true
            defer { state.cancels = [:] }
            return Array(state.cancels.values)
        }
        for cancel in cancels { cancel() }
    }
}

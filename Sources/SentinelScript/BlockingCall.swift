import Dispatch
import DynamoDB
import Lua

/// Runs async work for a host function: the work runs on Swift's concurrency pool while the Lua thread
/// waits (DESIGN rule 6: host functions never block the pool itself). The wait wakes every 50 ms to
/// see whether the script was interrupted or ran out of time, and then cancels the work, which ends
/// promptly with a cancellation result (an apply's summary of what it did). Work that ignores the
/// cancellation is abandoned ``abandonAfter`` later: the stop is thrown, and the work's result is
/// dropped when it ends, so nothing a host function waits for outlives the script's deadline.
enum BlockingCall {
    /// How long cancelled work has to finish before the script stops without it.
    static let abandonAfter: Duration = .seconds(2)

    static func run<Output: Sendable>(
        in state: LuaState, _ work: @escaping @Sendable () async -> Output
    ) throws -> Output {
        let box = ResultBox<Output>()
        let task = Task.detached {
            box.store(await work())
        }
        var watch = StopWatch()
        while true {
            if let output = box.wait(milliseconds: 50) { return output }
            try watch.check(state) { task.cancel() }
        }
    }

    /// What a host function waiting for work does between two looks at it: at the run's stop it
    /// cancels the work once, and ``abandonAfter`` later, if the work still has not ended, it throws
    /// the stop. Shared by ``run(in:_:)`` and the migrate transform's loop (``LuaItemTransform``).
    struct StopWatch {
        private(set) var cancelledAt: ContinuousClock.Instant?

        /// Whether the work was cancelled.
        var cancelled: Bool { cancelledAt != nil }

        mutating func check(_ state: LuaState, cancel: () -> Void) throws {
            if let cancelledAt {
                if ContinuousClock.now - cancelledAt > abandonAfter { try state.stopIfRequested() }
            } else if state.shouldStop {
                cancel()
                cancelledAt = .now
            }
        }
    }
}

/// One value handed from a task to a waiting thread.
private final class ResultBox<Value: Sendable>: @unchecked Sendable {
    // Unchecked: `value` is written once before `ready` is signalled and read only after waiting on it.
    private var value: Value?
    private let ready = DispatchSemaphore(value: 0)

    func store(_ value: Value) {
        self.value = value
        ready.signal()
    }

    /// The value, or nil if it did not arrive within `milliseconds`.
    func wait(milliseconds: Int) -> Value? {
        guard ready.wait(timeout: .now() + .milliseconds(milliseconds)) == .success else { return nil }
        return value
    }
}

extension BlockingCall {
    /// Runs a DynamoDB call for a host function: its error, or the script's interruption while it
    /// waited, becomes the host function's error.
    static func perform<Output: Sendable>(
        in state: LuaState, _ work: @escaping @Sendable () async throws(DynamoDBError) -> Output
    ) throws -> Output {
        let result = try run(in: state) { () -> Result<Output, DynamoDBError> in
            do throws(DynamoDBError) {
                return .success(try await work())
            } catch {
                return .failure(error)
            }
        }
        // The limit's own message ("time limit of 5 s exceeded", "interrupted!") at the caller's line.
        try state.stopIfRequested()
        switch result {
        case .success(let output): return output
        case .failure(let error): throw state.failure(error.description, cause: error)
        }
    }
}

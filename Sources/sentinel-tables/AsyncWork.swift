import Dispatch

/// Runs async work from a synchronous command (the main thread, never a pool thread) and waits for it.
/// Ctrl-C cancels the work (``Interrupts``), which then finishes promptly with cancelled results;
/// the command checks ``Interrupts/wasInterrupted`` to report it and exit with 130.
enum AsyncWork {
    static func wait<Output: Sendable>(
        notice: String? = "interrupting: cancelling the requests and waits under way",
        _ work: @escaping @Sendable () async -> Output
    ) -> Output {
        let done = DispatchSemaphore(value: 0)
        let box = OutputBox<Output>()
        let task = Task.detached {
            box.value = await work()
            done.signal()
        }
        Interrupts.routing(
            to: { task.cancel() }, notice: notice,
            during: { done.wait() })
        return box.value!
    }
}

/// The work's output, written by the task before it signals and read after the wait.
private final class OutputBox<Output: Sendable>: @unchecked Sendable {
    var value: Output?
}

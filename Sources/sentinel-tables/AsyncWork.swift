import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs async work from a synchronous command (the main thread, never a pool thread) and waits for it.
/// Ctrl-C cancels the work, which then finishes promptly with cancelled results; a second Ctrl-C
/// exits at once.
enum AsyncWork {
    static func wait<Output: Sendable>(_ work: @escaping @Sendable () async -> Output) -> Output {
        let done = DispatchSemaphore(value: 0)
        let box = OutputBox<Output>()
        let task = Task.detached {
            box.value = await work()
            done.signal()
        }
        let interrupts = InterruptCounter()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if interrupts.increment() > 1 { exit(ExitStatus.interrupted) }
            StandardError.write(
                "\ninterrupting: stopping after the current request (Ctrl-C again to quit now)\n")
            task.cancel()
        }
        source.resume()
        done.wait()
        source.cancel()
        signal(SIGINT, SIG_DFL)
        return box.value!
    }
}

/// The work's output, written by the task before it signals and read after the wait.
private final class OutputBox<Output: Sendable>: @unchecked Sendable {
    var value: Output?
}

private final class InterruptCounter: @unchecked Sendable {
    // Unchecked: only the serial signal source's handler touches `count`.
    private var count = 0

    func increment() -> Int {
        count += 1
        return count
    }
}

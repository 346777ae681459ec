import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ctrl-C for every command but the REPL (whose prompt has its own: Ctrl-C there drops a line).
///
/// One path for everything a command does: the first Ctrl-C stops the work under way (a running
/// script through its Lua interrupt, async work such as plan, apply, status and delete by cancelling
/// its task, and with it every request and wait), and the command then says what was done and what
/// was not and exits with 130. A second Ctrl-C exits at once. With nothing under way (a prompt, the
/// moments between two steps) the first Ctrl-C exits at once too.
///
/// A signal handler may do almost nothing safely: it counts, exits on the second signal, and
/// otherwise wakes a thread of this type's own, which does the stopping.
enum Interrupts {
    /// Runs `body` with Ctrl-C routed to `stop`, which must make `body` end soon; `notice` is printed
    /// first when the stop may take a moment (requests and waits being cancelled). A script stops at
    /// its next instruction and says so itself (`interrupted!`).
    static func routing<T>(
        to stop: @escaping @Sendable () -> Void, notice: String? = nil, during body: () throws -> T
    ) rethrows -> T {
        install()
        let action = StopAction(stop: stop, notice: notice)
        let previous = InterruptState.stop.withLock { current in
            defer { current = action }
            return current
        }
        defer { InterruptState.stop.withLock { $0 = previous } }
        return try body()
    }

    /// Whether Ctrl-C was pressed: work that ended after it ended because of it.
    static var wasInterrupted: Bool {
        InterruptState.count.load(ordering: .relaxed) > 0
    }

    /// Installs the handler and starts the thread that acts on it, once.
    private static func install() {
        guard !InterruptState.installed.exchange(true, ordering: .relaxed) else { return }
        // Statics are made on first use, which a signal handler must not be the one to do.
        _ = InterruptState.count.load(ordering: .relaxed)
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return }
        InterruptState.wakeDescriptor.store(descriptors[1], ordering: .relaxed)
        InterruptState.readDescriptor.store(descriptors[0], ordering: .relaxed)
        var thread = pthread_t()
        pthread_create(&thread, nil, { _ in Interrupts.actOnInterrupts() }, nil)
        pthread_detach(thread)

        var action = sigaction()
        action.__sigaction_handler.sa_handler = onInterrupt
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
        // A parent may start us with SIGINT blocked (the mask survives exec), and then Ctrl-C would wait.
        var interruptOnly = sigset_t()
        sigemptyset(&interruptOnly)
        sigaddset(&interruptOnly, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interruptOnly, nil)
    }

    /// The thread woken by the handler: stops what is under way, or exits when nothing is.
    private static func actOnInterrupts() -> UnsafeMutableRawPointer? {
        let descriptor = InterruptState.readDescriptor.load(ordering: .relaxed)
        var byte: UInt8 = 0
        while true {
            let count = read(descriptor, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else { return nil }
            guard let action = InterruptState.stop.withLock({ $0 }) else {
                StandardError.write("\ninterrupted\n")
                _exit(ExitStatus.interrupted)
            }
            if let notice = action.notice { StandardError.write("\n\(notice) (Ctrl-C again to quit now)\n") }
            action.stop()
        }
    }
}

/// What the signal handler and the thread share. Atomics and a mutex, so no state is mutable without
/// synchronisation; the handler itself touches only the atomics.
private enum InterruptState {
    static let count = Atomic<Int>(0)
    static let installed = Atomic<Bool>(false)
    static let wakeDescriptor = Atomic<Int32>(-1)
    static let readDescriptor = Atomic<Int32>(-1)
    static let stop = Mutex<StopAction?>(nil)
}

/// What the first Ctrl-C does to the work under way.
private struct StopAction: Sendable {
    let stop: @Sendable () -> Void
    let notice: String?
}

/// The SIGINT handler: async-signal-safe calls only (an atomic add, `write`, `_exit`).
private func onInterrupt(_: Int32) {
    if InterruptState.count.add(1, ordering: .relaxed).oldValue > 0 {
        let message: StaticString = "\ninterrupted\n"
        _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
        _exit(130)  // ExitStatus.interrupted, as a literal: nothing lazily made in a handler
    }
    var byte: UInt8 = 1
    _ = write(InterruptState.wakeDescriptor.load(ordering: .relaxed), &byte, 1)
}

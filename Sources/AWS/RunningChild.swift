import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process that another thread may kill while its own thread waits for it: the kill and the
/// reaping share one lock, so a kill never reaches a process id the system has already given to
/// someone else.
final class RunningChild: Sendable {
    private struct State {
        var reaped = false
        var killed = false
    }

    private let pid: pid_t
    private let state = Mutex(State())

    init(pid: pid_t) {
        self.pid = pid
    }

    /// Kills the child (SIGKILL) unless it has already been reaped; its waiting thread then gives up.
    func kill() {
        state.withLock { state in
            guard !state.reaped else { return }
            state.killed = true
            sendKill(pid)
        }
    }

    private var wasKilled: Bool { state.withLock { $0.killed } }

    /// Reads the child's output until it ends and reaps it; nil when it was killed meanwhile. Blocks:
    /// run it on a thread of its own.
    func collect(_ started: ChildProcess.Started) -> ChildProcess.Output? {
        defer {
            close(started.standardOutput)
            close(started.standardError)
        }
        let (standardOutput, standardError) = ChildProcess.drain(
            started.standardOutput, started.standardError, stopped: { wasKilled })
        // Wait for the end without reaping, then reap under the lock: until then the id is ours.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        let status: Int32 = state.withLock { state in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            state.reaped = true
            return status
        }
        if wasKilled { return nil }
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return ChildProcess.Output(
            status: exitStatus, standardOutput: standardOutput, standardError: standardError)
    }
}

/// SIGKILL to `pid` (a free function: inside ``RunningChild`` the name `kill` is the method).
private func sendKill(_ pid: pid_t) {
    _ = kill(pid, SIGKILL)
}

import DynamoDBModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program run with captured output, as `credential_process` needs, without Foundation's `Process`:
/// `arguments[0]` is looked up on `PATH`, and no shell is involved.
struct ChildProcess {
    struct Output {
        /// The exit status, or 128 + the signal number when a signal ended the process.
        var status: Int32
        var standardOutput: [UInt8]
        var standardError: [UInt8]
    }

    /// Runs `command` with `environment` and waits for it, on a thread of its own rather than one of
    /// Swift's concurrency pool (a command that never answers must not take a pool thread with it).
    /// Cancelling the calling task kills the command (SIGKILL) and throws at once: a script's deadline
    /// or Ctrl-C cancels the work that waits for credentials, so no child outlives them.
    static func run(_ command: [String], environment: [String: String]) async throws(DynamoDBError) -> Output
    {
        let started = try spawn(command, environment: environment)
        let running = RunningChild(pid: started.pid)
        let outcome: Output? = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Output?, Never>) in
                DetachedThread.start {
                    continuation.resume(returning: running.collect(started))
                }
            }
        } onCancel: {
            running.kill()
        }
        guard let outcome else {
            throw .configuration(
                "credential_process \(command[0]) was stopped: the work waiting for it was cancelled")
        }
        return outcome
    }

    /// A started child and the read ends of its output pipes.
    struct Started: Sendable {
        let pid: pid_t
        let standardOutput: Int32
        let standardError: Int32
    }

    /// Starts `command` with its standard output and error on pipes.
    private static func spawn(_ command: [String], environment: [String: String]) throws(DynamoDBError)
        -> Started
    {
        guard let program = command.first, !program.isEmpty else {
            throw .configuration("cannot run credential_process: the command is empty")
        }
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard makePipe(&outPipe) == 0 else { throw failure("pipe") }
        guard makePipe(&errPipe) == 0 else {
            close(outPipe[0])
            close(outPipe[1])
            throw failure("pipe")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        // The child starts with no signal blocked and Ctrl-C's signals at their default action, whatever
        // the spawning thread had: a pool thread may carry a mask from before the tool unblocked SIGINT,
        // and a child that inherited it would sit through Ctrl-C (the terminal sends it to the child too,
        // which shares the foreground process group, as under the aws CLI).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) }
        let environmentEntries: [UnsafeMutablePointer<CChar>?] = environment.map {
            strdup("\($0.key)=\($0.value)")
        }
        defer {
            for pointer in arguments + environmentEntries { free(pointer) }
        }
        var pid: pid_t = 0
        let spawnResult = (arguments + [nil]).withUnsafeBufferPointer { argv in
            (environmentEntries + [nil]).withUnsafeBufferPointer { envp in
                posix_spawnp(
                    &pid, program, &actions, &attributes, UnsafeMutablePointer(mutating: argv.baseAddress!),
                    UnsafeMutablePointer(mutating: envp.baseAddress!))
            }
        }
        close(outPipe[1])
        close(errPipe[1])
        guard spawnResult == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw .configuration(
                "cannot run credential_process: \(program): \(String(cString: strerror(spawnResult)))")
        }
        return Started(pid: pid, standardOutput: outPipe[0], standardError: errPipe[0])
    }

    /// A pipe whose ends are closed on exec, so a process spawned concurrently by another thread does
    /// not inherit them (and keep our read from ever seeing end-of-file); `dup2` in the child clears
    /// the flag on the copies it means to pass.
    private static func makePipe(_ fds: inout [Int32]) -> Int32 {
        // Glibc's module does not export pipe2, so the flag is set right after; the window between
        // the two calls is tiny.
        guard pipe(&fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }

    /// Reads both pipes until both end (with `poll`, so a process that fills one pipe while we wait on
    /// the other cannot deadlock) or `stopped` says to give up; looks at `stopped` every 100 ms.
    static func drain(_ outFD: Int32, _ errFD: Int32, stopped: () -> Bool) -> ([UInt8], [UInt8]) {
        var outputs: [[UInt8]] = [[], []]
        var open = [true, true]
        var buffer = [UInt8](repeating: 0, count: 8192)
        while open[0] || open[1], !stopped() {
            var fds = [
                pollfd(fd: open[0] ? outFD : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open[1] ? errFD : -1, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, 100)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in 0..<2 where open[index] && fds[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(fds[index].fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    outputs[index].append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    open[index] = false
                }
            }
        }
        return (outputs[0], outputs[1])
    }

    private static func failure(_ call: String) -> DynamoDBError {
        .configuration("cannot run credential_process: \(call) failed: \(String(cString: strerror(errno)))")
    }
}

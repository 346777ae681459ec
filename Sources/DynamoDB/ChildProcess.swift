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

    /// Runs `command` with `environment` and waits for it. Reading both pipes with `poll` keeps a
    /// process that fills one pipe while we block on the other from deadlocking.
    ///
    /// This blocks the calling thread while the command runs; credential processes run once per
    /// credential lifetime, so the cost is accepted rather than adding a thread of our own.
    static func run(_ command: [String], environment: [String: String]) throws(DynamoDBError) -> Output {
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
        defer {
            close(outPipe[0])
            close(errPipe[0])
        }
        guard spawnResult == 0 else {
            throw .configuration(
                "cannot run credential_process: \(program): \(String(cString: strerror(spawnResult)))")
        }
        let (standardOutput, standardError) = drain(outPipe[0], errPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Output(status: exitStatus, standardOutput: standardOutput, standardError: standardError)
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

    private static func drain(_ outFD: Int32, _ errFD: Int32) -> ([UInt8], [UInt8]) {
        var outputs: [[UInt8]] = [[], []]
        var open = [true, true]
        var buffer = [UInt8](repeating: 0, count: 8192)
        while open[0] || open[1] {
            var fds = [
                pollfd(fd: open[0] ? outFD : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open[1] ? errFD : -1, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
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

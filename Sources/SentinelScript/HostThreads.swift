import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The threads ``ScriptHost/withHost(_:_:)`` runs hosts on: at most ``limit`` at once, shared by every
/// caller in the process, each made when work waits and none is free, and ended when no work is left.
///
/// A host blocks its thread while its script waits for AWS, so each needs a thread of its own, and
/// Dispatch makes a new thread for every blocked work item (300 hosts at once made 262 threads). A
/// fixed bound keeps a burst of hosts from exhausting the process; work past it waits its turn.
enum HostThreads {
    /// How many hosts run at once in one process.
    static let limit = 64

    private struct Pool {
        var running = 0
        var waiting: [@Sendable () -> Void] = []
    }

    private static let pool = Mutex(Pool())

    /// Runs `work` on a host thread, now if one is free or can be made, otherwise when one is.
    static func run(_ work: @escaping @Sendable () -> Void) {
        let start = pool.withLock { pool -> Bool in
            pool.waiting.append(work)
            guard pool.running < limit else { return false }
            pool.running += 1
            return true
        }
        if start { startThread() }
    }

    /// The next work waiting, or nil after counting this thread out when none is.
    private static func take() -> (@Sendable () -> Void)? {
        pool.withLock { pool in
            guard !pool.waiting.isEmpty else {
                pool.running -= 1
                return nil
            }
            return pool.waiting.removeFirst()
        }
    }

    private static func drain() {
        while let work = take() { work() }
    }

    private static func startThread() {
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { _ in
                HostThreads.drain()
                return nil
            }, nil)
        if created == 0 {
            pthread_detach(thread)
        } else {
            // No thread to be had: the work waits for a running one, or runs here if none runs.
            let alone = pool.withLock { pool -> Bool in
                pool.running -= 1
                guard pool.running == 0 else { return false }
                pool.running += 1
                return true
            }
            if alone { drain() }
        }
    }
}

import Lua
import SentinelScript
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Stops that stop: a cancelled `withHost` starts no further script, an interrupt raised while idle
/// can be withdrawn, and a burst of hosts does not make a thread each.
@Suite struct StopTests {
    static let noAWS = ScriptHostConfiguration(aws: nil)

    /// A value shared with host functions on other threads.
    final class Shared<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        var current: Value { value.withLock { $0 } }
    }

    /// What the body of a cancelled `withHost` saw: the running script's error, then the next run's.
    struct Seen: Sendable {
        var first: LuaError.Kind?
        var secondWasCancellation = false
    }

    @Test func cancellingWithHostFailsEveryLaterRunWithCancellationError() async throws {
        let started = Shared(false)
        let task = Task {
            try await ScriptHost.withHost(Self.noAWS) { host in
                try host.register(function: "started") { call in
                    started.value.withLock { $0 = true }
                    return call.returning()
                }
                var seen = Seen()
                do {
                    _ = try host.run("started() while true do end")
                } catch let error as LuaError {
                    seen.first = error.kind
                }
                for _ in 0..<2 {
                    do {
                        _ = try host.run("return 1")
                        return seen
                    } catch is CancellationError {
                        seen.secondWasCancellation = true
                    }
                }
                return seen
            }
        }
        while !started.current { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        let seen = try await task.value
        #expect(seen.first == .interrupted)
        #expect(seen.secondWasCancellation)
    }

    @Test func aWithHostCancelledBeforeItStartsRunsNothing() async throws {
        let ran = Shared(false)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await ScriptHost.withHost(Self.noAWS) { _ in ran.value.withLock { $0 = true } }
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(!ran.current)
    }

    @Test func anInterruptRaisedWhileIdleAppliesToTheNextRunUnlessCleared() throws {
        let host = try ScriptHost(Self.noAWS)
        host.interruptHandle.interrupt()
        do {
            _ = try host.run("return 1")
            Issue.record("the pending interrupt was lost")
        } catch let error as LuaError {
            #expect(error.kind == .interrupted)
        }
        #expect(try host.run("return 2").values == [.integer(2)])
        host.interruptHandle.interrupt()
        host.interruptHandle.clearPendingInterrupt()
        #expect(try host.run("return 3").values == [.integer(3)])
    }

    /// 200 hosts at once: they run on a bounded pool of threads (64), so at most 64 of their scripts
    /// run at any moment, and all finish. Counted by the scripts running at once, not by distinct
    /// threads (the pool ends a thread when no work waits and makes a new one later, so over a burst
    /// more than 64 threads may take turns) nor by the process's thread count, which the tests
    /// running beside this one change.
    @Test func aBurstOfHostsSharesABoundedPoolOfThreads() async throws {
        let running = Shared((now: 0, most: 0))
        let results = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await ScriptHost.withHost(Self.noAWS) { host in
                        try host.register(function: "observe") { call in
                            running.value.withLock {
                                $0.now += 1
                                $0.most = max($0.most, $0.now)
                            }
                            // Busy a while, so that hosts overlap: a thread per host would show ~200.
                            usleep(20_000)
                            running.value.withLock { $0.now -= 1 }
                            return call.returning()
                        }
                        let values = try host.run("observe() return \(index)").values
                        guard case .integer(let value) = values.first else { return -1 }
                        return value
                    }
                }
            }
            var all: [Int64] = []
            for try await value in group { all.append(value) }
            return all
        }
        #expect(results.sorted() == (0..<200).map(Int64.init))
        #expect(running.current.most <= 64, "\(running.current.most) hosts ran at once")
    }
}

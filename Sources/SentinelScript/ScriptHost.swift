import Dispatch
import FileAccess
import Lua
import Synchronization

/// Runs Sentinel scripts in-process: a Lua state with the `sentinel` module, an AWS connection made
/// on first use, your own Swift functions and modules, and plan/apply/status/delete for Swift callers.
///
/// ```swift
/// let host = try ScriptHost(ScriptHostConfiguration(aws: .init(region: "eu-west-1")))
/// try host.register(module: "acme", functions: ["owner": { call in call.returning("platform") }])
/// let schemas = try host.run(file: "tables.lua", arguments: ["prod"]).schemas()
/// ```
///
/// Threading. A host owns a Lua state, which is confined to one thread at a time: `ScriptHost` is not
/// `Sendable`, so Swift 6 refuses to share it between tasks or threads. Running a script blocks the
/// calling thread while the script waits for AWS, so ``run(file:arguments:)`` and
/// ``run(_:name:arguments:)`` are unavailable from async code (blocking a thread of Swift's
/// concurrency pool can starve the very tasks the script waits for). From async code, use
/// ``withHost(_:_:)``, which runs a host on a thread of its own and interrupts the script when the
/// task is cancelled. ``tables`` is `Sendable` and async: use it from anywhere.
///
/// Hosts share nothing: each has its own state, globals, registered functions and connection.
public final class ScriptHost {
    public let configuration: ScriptHostConfiguration
    /// The Lua state, for what this type does not wrap (`LuaState/setGlobal(_:_:)`, `LuaState/call(_:_:)`).
    public let lua: LuaState
    /// Plan, apply, status and delete for Swift callers, on this host's AWS connection. It holds the
    /// connection: a copy kept after the host is dropped goes on working (also a call under way), until
    /// ``shutdown()`` closes the connection for both.
    public let tables: TableOperations
    private let connection: AWSConnection?
    /// Set when the task of ``withHost(_:_:)`` is cancelled: no run starts after that.
    private let cancellation: HostCancellation
    /// The state's `sentinel.null`, for items handed to the script.
    let null: LuaValue

    public convenience init(_ configuration: ScriptHostConfiguration = ScriptHostConfiguration()) throws {
        try self.init(
            configuration, cancellation: HostCancellation(),
            connection: configuration.aws.map { AWSConnection(options: $0) })
    }

    /// A host on `connection`, which it shares with whoever else holds it (a fleet member lends its
    /// own to the hosts it makes for its scripts, so that closing the member closes theirs too).
    init(
        _ configuration: ScriptHostConfiguration, cancellation: HostCancellation, connection: AWSConnection?
    ) throws {
        self.configuration = configuration
        self.cancellation = cancellation
        self.connection = connection
        lua = try LuaState(
            LuaConfiguration(
                sandboxed: configuration.sandboxed, modulePaths: configuration.modulePaths,
                limits: configuration.limits, watchdog: configuration.watchdog))
        // The scripts' one file capability, granted here once: the working directory as it is now.
        let files = (try? FileRoot(directory: ".")) ?? .nowhere
        var services =
            connection.map {
                SentinelServices(
                    connection: $0, waitPolicy: configuration.waitPolicy, events: configuration.events,
                    files: files)
            }
            ?? SentinelServices(
                waitPolicy: configuration.waitPolicy, events: configuration.events, files: files)
        services.readBudget = configuration.readBudget
        let accountReplicas =
            configuration.targets.isEmpty
            ? nil
            : (configuration.replicaBaseAWS ?? configuration.aws).map {
                TargetReplicaConnections(
                    targets: configuration.replicaTargets ?? configuration.targets, base: $0,
                    protectedWrites: configuration.protectedReplicaWrites,
                    sourceAccount: configuration.target?.account)
            }
        services.accountReplicas = accountReplicas
        null = try SentinelModule.install(
            into: lua, services: services, target: configuration.target, targets: configuration.targets)
        try configuration.output?.install(into: lua)
        // No deinit closes the connection: `tables` and the script's functions hold it, so it stays
        // open while any of them is used, and its client shuts itself down once the last is gone.
        tables = TableOperations(
            connection: connection, waitPolicy: configuration.waitPolicy, events: configuration.events,
            accountReplicas: accountReplicas)
    }

    /// Makes a global function that scripts call as `name(...)`. Argument errors raised through
    /// `LuaCall` (`LuaCall/argumentError(_:_:)`, `LuaCall/string(_:)`, ...) and any error the
    /// body throws point at the script's line that called it.
    ///
    /// `name` must be a Lua identifier, and may not replace a global already defined (`print`,
    /// `string`, `sentinel`, an earlier registration) unless `replacing` is true: otherwise this
    /// throws a `LuaRegistrationError` naming it.
    public func register(
        function name: String, replacing: Bool = false, _ body: @escaping LuaHostFunction
    ) throws {
        try lua.register(name, replacing: replacing, body)
    }

    /// Makes a module of functions, reachable both as the global `name` and through `require(name)`;
    /// each function is named `name.function` in error messages. `name` must be a Lua identifier and
    /// may not replace a library, `sentinel` or an earlier module unless `replacing` is true (a
    /// `LuaRegistrationError` otherwise).
    public func register(
        module name: String, functions: [String: LuaHostFunction], replacing: Bool = false
    ) throws {
        try lua.registerModule(name, functions: functions, global: true, replacing: replacing)
    }

    /// Makes a module of values (functions made with `LuaState/function(named:isMethod:_:)`,
    /// constants, tables), reachable as the global `name` and through `require(name)`; named as
    /// ``register(module:functions:replacing:)`` requires.
    public func register(module name: String, values: [String: LuaValue], replacing: Bool = false) throws {
        try lua.registerModule(name, values, global: true, replacing: replacing)
    }

    /// Runs a script file, which sees `arguments` as `...` and `arg`; returns what it returned. A
    /// script error is thrown as a `LuaError` whose message starts with `file:line:`.
    @available(
        *, noasync, message: "running a script blocks its thread: use ScriptHost.withHost from async code"
    )
    public func run(file path: String, arguments: [String] = []) throws -> ScriptResult {
        try cancellation.check()
        return ScriptResult(values: try lua.run(file: path, arguments: arguments))
    }

    /// Runs Lua source; errors show `name` as the file (`name:3: ...`).
    @available(
        *, noasync, message: "running a script blocks its thread: use ScriptHost.withHost from async code"
    )
    public func run(_ source: String, name: String = "script", arguments: [String] = []) throws
        -> ScriptResult
    {
        try cancellation.check()
        return ScriptResult(values: try lua.run(source, name: name, arguments: arguments.map(LuaValue.text)))
    }

    /// Stops the running script from another thread: it ends with an `LuaError/Kind/interrupted`
    /// error, also while it waits for AWS.
    public var interruptHandle: LuaInterruptHandle { lua.interruptHandle }

    /// Closes the AWS connection now and waits for it; otherwise it closes by itself once the host
    /// and every copy of ``tables`` are gone. Afterwards everything that would reach AWS through it
    /// (a script's `sentinel.db`, ``tables``, also a call under way) fails with one error,
    /// `the AWS connection was already shut down`.
    public func shutdown() async {
        await connection?.shutdown()
    }

    /// ``shutdown()`` from synchronous code, waiting until the connection is closed.
    @available(*, noasync, message: "use shutdown() from async code")
    public func shutdownAndWait() {
        connection?.shutdownAndWait()
    }

    /// Makes a host on a thread of its own, runs `body` with it there, and drops it (its connection
    /// closes once nothing holds it: a `tables` the body returns keeps it): the way to run scripts
    /// from async code. Cancelling the calling task interrupts the running script, and every
    /// later `run` in `body` throws `CancellationError` without starting.
    ///
    /// Hosts run on a pool shared by the process, at most 64 at once (a host holds its thread while its
    /// script waits for AWS); a `withHost` past that waits for a thread, and a cancelled one stops
    /// waiting. So `body` must not wait for another `withHost` to finish.
    public static func withHost<Result: Sendable>(
        _ configuration: ScriptHostConfiguration = ScriptHostConfiguration(),
        _ body: @escaping @Sendable (ScriptHost) throws -> Result
    ) async throws -> Result {
        try await withHost(
            configuration, connection: configuration.aws.map { AWSConnection(options: $0) }, body)
    }

    /// ``withHost(_:_:)`` with a host on `connection` (see ``init(_:cancellation:connection:)``).
    static func withHost<Result: Sendable>(
        _ configuration: ScriptHostConfiguration, connection: AWSConnection?,
        _ body: @escaping @Sendable (ScriptHost) throws -> Result
    ) async throws -> Result {
        let running = Mutex<HostThreadState<Result>>(HostThreadState())
        let cancellation = HostCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let cancelledAlready = running.withLock { state in
                    state.continuation = continuation
                    return state.cancelled
                }
                if cancelledAlready {
                    running.withLock { $0.continuation = nil }
                    continuation.resume(throwing: CancellationError())
                    return
                }
                HostThreads.run {
                    // Only the one who takes the continuation resumes it: this thread, or cancellation
                    // before the work started.
                    guard let continuation = running.withLock({ $0.continuation.take() }) else { return }
                    continuation.resume(
                        with: Swift.Result { () throws -> Result in
                            let host = try ScriptHost(
                                configuration, cancellation: cancellation, connection: connection)
                            let cancelled = running.withLock { state in
                                state.handle = host.interruptHandle
                                return state.cancelled
                            }
                            if cancelled { throw CancellationError() }
                            defer { running.withLock { $0.handle = nil } }
                            return try body(host)
                        })
                }
            }
        } onCancel: {
            cancellation.cancel()
            let waiting = running.withLock { state in
                state.cancelled = true
                state.handle?.interrupt()
                return state.continuation.take()
            }
            waiting?.resume(throwing: CancellationError())
        }
    }
}

/// What cancellation of ``ScriptHost/withHost(_:_:)`` needs to reach the host's thread.
private struct HostThreadState<Result: Sendable>: Sendable {
    var handle: LuaInterruptHandle?
    var cancelled = false
    /// The caller's continuation until the work starts or cancellation answers it.
    var continuation: CheckedContinuation<Result, any Error>?
}

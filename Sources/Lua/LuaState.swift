import CLua54
import CLuaBridge
import FileAccess

/// A Lua 5.4 interpreter with the host's safety rules built in.
///
/// A state is confined to the thread that uses it: it is not `Sendable`, so Swift 6 keeps it in one
/// isolation domain. Lua errors never unwind across Swift frames: every call into Lua is protected
/// and Swift host functions report errors by throwing, which the C trampoline turns into a Lua error
/// after the Swift frames have returned.
public final class LuaState {
    /// The state's main thread; valid for the lifetime of this object.
    let mainThread: OpaquePointer
    /// The thread whose stack Swift reads and writes: the main thread, or, while a host function runs,
    /// the thread (coroutine) that called it. Host calls save and restore it, so it is always the
    /// stack of the innermost call.
    var lua: OpaquePointer
    let identity = LuaStateIdentity()
    public let configuration: LuaConfiguration
    /// Nesting depth of protected calls from Swift: limits are armed only at depth 0.
    var runDepth = 0
    /// Metatable names of the Swift classes registered with ``registerType(_:name:methods:metamethods:)``.
    var userdataTypeNames = UserdataTypeNames()
    /// The `modulePaths` directories, opened once when the state is made: `require` opens modules
    /// beneath them (kept open for as long as the state; the registry holds their descriptors).
    private let moduleRoots: [(root: FileRoot?, prefix: String)]
    /// The running script's directory, opened by ``run(file:arguments:)``; searched first.
    private var scriptRoot: (root: FileRoot?, prefix: String)?
    /// The message of the last host allocation refused by the memory limit in this run: a Lua error
    /// carrying it is reported as a memory error, not a runtime one (see `runError`).
    var lastHostMemoryRefusal: String?
    /// Bytes reserved with ``LuaCall/reserveMemory(_:for:)`` by the host calls now running, given back
    /// as each returns (see `HostFunction.invoke`).
    var hostCallReserved = 0

    /// Creates a state with the standard library opened as `configuration` says.
    public init(_ configuration: LuaConfiguration = LuaConfiguration()) throws {
        LuaBridgeCallbacks.install()
        self.configuration = configuration
        moduleRoots = configuration.modulePaths.map { directory in
            (
                try? FileRoot(directory: directory.isEmpty ? "." : directory),
                LuaConfiguration.modulePrefix(directory)
            )
        }
        guard let lua = clb_newstate(nil) else {
            throw LuaError(.memory, "cannot create a Lua state: not enough memory")
        }
        self.mainThread = lua
        self.lua = lua
        identity.attach(lua)
        let status =
            configuration.sandboxed
            ? clb_open_sandbox(lua, configuration.packagePath(scriptDirectory: nil))
            : clb_open_all(lua)
        if status != LUA_OK {
            let message = popErrorMessage()
            identity.detach()
            clb_close(lua)
            throw LuaError(.runtime, "cannot open the Lua libraries: \(message)")
        }
        _ = luaL_newmetatable(lua, arrayMarkerMetatable)
        clb_protect_metatable(lua)
        clua_pop(lua, 1)
        if !configuration.sandboxed {
            setPackagePath(configuration.packagePath(scriptDirectory: nil))
        } else {
            installModuleRoots()
        }
        applyLimits(configuration.limits)
        if let watchdog = configuration.watchdog {
            clb_set_watchdog(lua, LuaLimits.seconds(of: watchdog))
        }
    }

    deinit {
        identity.detach()
        clb_close(mainThread)
    }

    /// Changes the limits for the next runs.
    public func applyLimits(_ limits: LuaLimits) {
        clb_set_memory_limit(lua, max(0, limits.memoryBytes ?? 0))
        clb_set_run_limits(lua, Int64(limits.instructions ?? 0), limits.seconds)
    }

    /// Bytes of memory the state holds now.
    public var memoryInUse: Int { Int(clb_memory_used(lua)) }

    /// Runs a full garbage collection (and the `__gc` of unreachable userdata).
    public func collectGarbage() {
        releaseQueuedReferences()
        clua_gc_collect(lua)
    }

    /// A handle that stops this state's running script from another thread or a signal handler.
    public var interruptHandle: LuaInterruptHandle { LuaInterruptHandle(identity: identity) }

    /// Routes SIGINT (Ctrl-C) to this state for as long as `body` runs: the running script stops with
    /// an ``LuaError/Kind/interrupted`` error; a second Ctrl-C before it stops exits with status 130.
    public func routingInterrupts<T>(_ body: () throws -> T) rethrows -> T {
        clb_route_sigint(lua)
        defer { clb_route_sigint(nil) }
        return try body()
    }

    /// Whether a host function that waits should give up now: the run is past its time limit or was
    /// interrupted.
    public var shouldStop: Bool { clb_should_stop(lua) != 0 }

    /// Throws a ``LuaStopError`` with the limit's message when the run must stop (past its time or
    /// instruction limit, or interrupted): host functions that wait or loop call it, and the stop
    /// reaches the script as the same error the limit raises in Lua code, located at the caller's line.
    /// The stop sticks: no `pcall` lets the script go on.
    public func stopIfRequested() throws {
        guard clb_should_stop(lua) != 0 else { return }
        throw LuaStopError(message: currentStopMessage ?? "interrupted!")
    }

    /// The message of the stop in force, if any.
    var currentStopMessage: String? {
        var buffer = [CChar](repeating: 0, count: 128)
        guard clb_stop_message(lua, &buffer, buffer.count) != 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// How many values the current thread's stack holds (tests check that failures leave none behind).
    var stackDepth: Int { Int(lua_gettop(lua)) }

    /// Runs `body`; if it throws, the stack is put back as it was, so a failed conversion leaves nothing
    /// behind however deep it failed.
    func balanced<T>(_ body: () throws -> T) rethrows -> T {
        let top = lua_gettop(lua)
        do {
            return try body()
        } catch {
            lua_settop(lua, top)
            throw error
        }
    }

    /// Frees the registry slots of references dropped since the last call.
    func releaseQueuedReferences() {
        for slot in identity.takeReleasedSlots() {
            luaL_unref(lua, clua_registryindex(), slot)
        }
    }

    /// Fixes the path `require` searches (and `package.path` shows); a sandboxed script cannot
    /// change where `require` looks.
    func setPackagePath(_ path: String) {
        clb_set_module_path(lua, path)
    }

    /// Makes `directory` (nil: none) the running script's module directory, searched before the
    /// `modulePaths`: opened now, as the caller named it (the script's own directory), and shown in
    /// `package.path`.
    func setScriptDirectory(_ directory: String?) {
        setPackagePath(configuration.packagePath(scriptDirectory: directory))
        scriptRoot = directory.map { directory in
            (
                try? FileRoot(directory: directory.isEmpty ? "." : directory),
                LuaConfiguration.modulePrefix(directory)
            )
        }
        if configuration.sandboxed { installModuleRoots() }
    }

    /// Hands the sandbox's `require` the directories it opens modules beneath, in search order.
    private func installModuleRoots() {
        clb_clear_module_roots(lua)
        for (root, prefix) in (scriptRoot.map { [$0] } ?? []) + moduleRoots {
            clb_add_module_root(lua, root?.directoryDescriptor ?? -1, prefix)
        }
    }

    /// Pops the error value on top of the stack as a message.
    func popErrorMessage() -> String {
        defer { clua_pop(lua, 1) }
        if lua_type(lua, -1) == LUA_TSTRING {
            return stringAt(-1).description
        }
        return "(error object is a \(String(cString: clua_typename(lua, -1))) value)"
    }
}

/// Stops a running script from any thread. Holding it does not keep the state alive; using it after
/// the state is gone does nothing.
public struct LuaInterruptHandle: Sendable {
    private let identity: LuaStateIdentity

    init(identity: LuaStateIdentity) {
        self.identity = identity
    }

    /// Asks the running script to stop with an `interrupted` error, within a thousand instructions, in
    /// whichever coroutine it runs, or at the next host-function check while it waits for AWS. If no
    /// script is running, the next run stops at once (an interrupt is never lost): an interrupt raised
    /// while idle applies to the next run, whatever it is, until ``clearPendingInterrupt()``
    /// withdraws it. Only sets an atomic flag: safe from any thread.
    public func interrupt() {
        identity.interrupt()
    }

    /// Withdraws an interrupt that no run has acted on yet (one raised while no script ran), so the
    /// next run starts normally: call it before a run that must not inherit a stop meant for an
    /// earlier one. A run already stopped by the interrupt stays stopped. Safe from any thread.
    public func clearPendingInterrupt() {
        identity.clearPendingInterrupt()
    }
}

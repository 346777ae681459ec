import CLua54
import CLuaBridge

/// A Lua 5.4 interpreter with the host's safety rules built in.
///
/// A state is confined to the thread that uses it: it is not `Sendable`, so Swift 6 keeps it in one
/// isolation domain. Lua errors never unwind across Swift frames: every call into Lua is protected
/// and Swift host functions report errors by throwing, which the C trampoline turns into a Lua error
/// after the Swift frames have returned.
public final class LuaState {
    /// The raw state; valid for the lifetime of this object.
    let L: OpaquePointer
    let identity = LuaStateIdentity()
    public let configuration: LuaConfiguration
    /// Nesting depth of protected calls from Swift: limits are armed only at depth 0.
    var runDepth = 0
    /// Metatable names of the Swift classes registered with ``registerType(_:name:methods:)``.
    var userdataTypeNames: [ObjectIdentifier: String] = [:]

    /// Creates a state with the standard library opened as `configuration` says.
    public init(_ configuration: LuaConfiguration = LuaConfiguration()) throws {
        LuaBridgeCallbacks.install()
        self.configuration = configuration
        guard let L = clb_newstate(nil) else {
            throw LuaError(.memory, "cannot create a Lua state: not enough memory")
        }
        self.L = L
        identity.attach(L)
        let status =
            configuration.sandboxed
            ? clb_open_sandbox(L, configuration.packagePath(scriptDirectory: nil))
            : clb_open_all(L)
        if status != LUA_OK {
            let message = popErrorMessage()
            identity.detach()
            clb_close(L)
            throw LuaError(.runtime, "cannot open the Lua libraries: \(message)")
        }
        _ = luaL_newmetatable(L, arrayMarkerMetatable)
        clua_pop(L, 1)
        if !configuration.sandboxed {
            setPackagePath(configuration.packagePath(scriptDirectory: nil))
        }
        applyLimits(configuration.limits)
    }

    deinit {
        identity.detach()
        clb_close(L)
    }

    /// Changes the limits for the next runs.
    public func applyLimits(_ limits: LuaLimits) {
        clb_set_memory_limit(L, max(0, limits.memoryBytes ?? 0))
        clb_set_run_limits(L, Int64(limits.instructions ?? 0), limits.seconds)
    }

    /// Bytes of memory the state holds now.
    public var memoryInUse: Int { Int(clb_memory_used(L)) }

    /// Runs a full garbage collection (and the `__gc` of unreachable userdata).
    public func collectGarbage() {
        releaseQueuedReferences()
        clua_gc_collect(L)
    }

    /// A handle that stops this state's running script from another thread or a signal handler.
    public var interruptHandle: LuaInterruptHandle { LuaInterruptHandle(identity: identity) }

    /// Routes SIGINT (Ctrl-C) to this state for as long as `body` runs: the running script stops with
    /// an ``LuaError/Kind/interrupted`` error; a second Ctrl-C before it stops exits with status 130.
    public func routingInterrupts<T>(_ body: () throws -> T) rethrows -> T {
        clb_route_sigint(L)
        defer { clb_route_sigint(nil) }
        return try body()
    }

    /// Whether a host function that waits should give up now: the run is past its time limit or was
    /// interrupted.
    public var shouldStop: Bool { clb_should_stop(L) != 0 }

    /// Frees the registry slots of references dropped since the last call.
    func releaseQueuedReferences() {
        for slot in identity.takeReleasedSlots() {
            luaL_unref(L, clua_registryindex(), slot)
        }
    }

    /// Sets `package.path` (raw access, so a script's metatables cannot interfere).
    func setPackagePath(_ path: String) {
        lua_getfield(L, clua_registryindex(), LUA_LOADED_TABLE)
        lua_pushstring(L, "package")
        lua_rawget(L, -2)
        if lua_type(L, -1) == LUA_TTABLE {
            lua_pushstring(L, "path")
            lua_pushstring(L, path)
            lua_rawset(L, -3)
        }
        clua_pop(L, 2)
    }

    /// Pops the error value on top of the stack as a message.
    func popErrorMessage() -> String {
        defer { clua_pop(L, 1) }
        if lua_type(L, -1) == LUA_TSTRING {
            return stringAt(-1).description
        }
        return "(error object is a \(String(cString: clua_typename(L, -1))) value)"
    }
}

/// Stops a running script from any thread. Holding it does not keep the state alive; using it after
/// the state is gone does nothing.
public struct LuaInterruptHandle: Sendable {
    private let identity: LuaStateIdentity

    init(identity: LuaStateIdentity) {
        self.identity = identity
    }

    /// Asks the running script to stop at its next instruction with an `interrupted` error.
    public func interrupt() {
        identity.interrupt()
    }
}

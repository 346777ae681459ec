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
    let lua: OpaquePointer
    let identity = LuaStateIdentity()
    public let configuration: LuaConfiguration
    /// Nesting depth of protected calls from Swift: limits are armed only at depth 0.
    var runDepth = 0
    /// Metatable names of the Swift classes registered with ``registerType(_:name:methods:metamethods:)``.
    var userdataTypeNames: [ObjectIdentifier: String] = [:]

    /// Creates a state with the standard library opened as `configuration` says.
    public init(_ configuration: LuaConfiguration = LuaConfiguration()) throws {
        LuaBridgeCallbacks.install()
        self.configuration = configuration
        guard let lua = clb_newstate(nil) else {
            throw LuaError(.memory, "cannot create a Lua state: not enough memory")
        }
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
        clua_pop(lua, 1)
        if !configuration.sandboxed {
            setPackagePath(configuration.packagePath(scriptDirectory: nil))
        }
        applyLimits(configuration.limits)
    }

    deinit {
        identity.detach()
        clb_close(lua)
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

    /// Frees the registry slots of references dropped since the last call.
    func releaseQueuedReferences() {
        for slot in identity.takeReleasedSlots() {
            luaL_unref(lua, clua_registryindex(), slot)
        }
    }

    /// Sets `package.path` (raw access, so a script's metatables cannot interfere).
    func setPackagePath(_ path: String) {
        lua_getfield(lua, clua_registryindex(), LUA_LOADED_TABLE)
        lua_pushstring(lua, "package")
        lua_rawget(lua, -2)
        if lua_type(lua, -1) == LUA_TTABLE {
            lua_pushstring(lua, "path")
            lua_pushstring(lua, path)
            lua_rawset(lua, -3)
        }
        clua_pop(lua, 2)
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

    /// Asks the running script to stop at its next instruction with an `interrupted` error.
    public func interrupt() {
        identity.interrupt()
    }
}

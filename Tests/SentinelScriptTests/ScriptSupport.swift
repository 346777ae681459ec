import Lua
import SentinelScript

/// A sandboxed state with the `sentinel` module, as scripts see it.
func sentinelState() throws -> LuaState {
    let state = try LuaState()
    try SentinelModule.install(into: state)
    return state
}

/// The error a throwing body raised, if it was a ``LuaError``.
func luaError(_ body: () throws -> Void) -> LuaError? {
    do {
        try body()
        return nil
    } catch let error as LuaError {
        return error
    } catch {
        return nil
    }
}

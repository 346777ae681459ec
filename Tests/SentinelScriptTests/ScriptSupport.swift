import Foundation
import Lua
import SentinelScript

/// A sandboxed state with the `sentinel` module, as scripts see it.
func sentinelState() throws -> LuaState {
    let state = try LuaState()
    try SentinelModule.install(into: state)
    return state
}

/// `body` (a chunk that ends in `return`) run directly, and run again inside a coroutine: each
/// Lua-facing function is tested from both, and the two must give the same values.
func runBothWays(_ body: String) throws -> [[LuaValue]] {
    let direct = try sentinelState().run(body, name: "r.lua")
    let wrapped = try sentinelState().run(
        """
        local co = coroutine.create(function() \(body) end)
        local results = table.pack(coroutine.resume(co))
        assert(results[1], results[2])
        return table.unpack(results, 2, results.n)
        """, name: "co.lua")
    return [direct, wrapped]
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

/// Runs `body` on a thread of its own, as the tool runs scripts: host functions that call AWS block
/// their thread while async work runs on Swift's pool, so a script must never run on a pool thread
/// (as a synchronous test body would).
func onScriptThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

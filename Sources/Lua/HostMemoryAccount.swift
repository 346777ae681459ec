import CLuaBridge

/// A state's memory budget for work that runs on other threads while the script waits for it (a file
/// of items read or written, a table copied page by page): it reserves and gives back bytes of the
/// same limit that Lua's allocations and ``HostMemoryReservation``s count against, from any thread.
///
/// Only the budget's counters are touched, and they are atomic (`clb_reserve_memory`); nothing of Lua
/// is. Unlike ``LuaState/reserveHostMemory(_:for:)`` it cannot collect garbage before refusing
/// (collection runs Lua's finalizers, on the state's thread only): collect before handing it out.
public final class HostMemoryAccount: @unchecked Sendable {
    /// Keeps the state, and so its counters, alive while bytes are held; used for nothing else.
    private let state: LuaState
    private let lua: OpaquePointer
    /// The limit when the account was made, in bytes; nil without one.
    public let limit: Int?

    init(state: LuaState) {
        self.state = state
        lua = state.mainThread
        let limit = clb_memory_limit(state.mainThread)
        self.limit = limit > 0 ? limit : nil
    }

    /// Reserves `bytes` (negative counts as 0): true if they fit in what the limit leaves now, or
    /// there is no limit; false, reserving nothing, if not.
    public func take(_ bytes: Int) -> Bool {
        clb_reserve_memory(lua, max(0, bytes)) != 0
    }

    /// Gives back bytes ``take(_:)`` reserved.
    public func give(_ bytes: Int) {
        clb_release_memory(lua, max(0, bytes))
    }

    /// Bytes still to be had, or nil without a limit.
    public var available: Int? {
        guard limit != nil else { return nil }
        return max(0, clb_memory_available(lua))
    }

    /// The refusal of `bytes` for `what`, in the words Lua's own refusals use; hand it to
    /// ``LuaState/hostMemoryError(_:)`` on the state's thread. `held` is how much of `bytes` the asker
    /// holds already: it counts as left to it.
    public func refusal(needing bytes: Int, for what: String, holding held: Int = 0) -> String {
        let (left, overflow) = (available ?? 0).addingReportingOverflow(max(0, held))
        return LuaState.refusalMessage(
            limit: limit ?? 0, needed: bytes, for: what, available: overflow ? Int.max : left)
    }
}

extension LuaState {
    /// The budget as work on other threads may use it (``HostMemoryAccount``). Garbage is not counted
    /// as free by it: call ``collectGarbage()`` first when the script may have left much behind.
    public var memoryAccount: HostMemoryAccount { HostMemoryAccount(state: self) }
}

import DynamoDB
import ItemFiles
import Lua

/// A script's memory limit as the budget of the DynamoDB layer's long calls (`db.import`, `db.export`,
/// `sentinel.migrate`): the lines they read, the pages and batches they hold, count against the same
/// limit as the script's own allocations, from whichever thread does the work (``HostMemoryAccount``).
extension MemoryBudget {
    /// The budget of `state`'s limit, or ``unlimited`` without one. Garbage is collected first, on this
    /// thread: the account cannot collect before refusing, as Lua and the host's own checks do.
    static func of(_ state: LuaState) -> MemoryBudget {
        let account = state.memoryAccount
        guard account.limit != nil else { return .unlimited }
        state.collectGarbage()
        return MemoryBudget(
            take: { account.take($0) }, give: { account.give($0) },
            refusal: { needed, held, what in account.refusal(needing: needed, for: what, holding: held) })
    }
}

extension LuaState {
    /// What a host function raises for a DynamoDB-layer failure said as `message`: the script's memory
    /// error when its budget stopped the call (`cause` is `.memoryLimit`), a runtime error otherwise.
    func failure(_ message: String, cause: DynamoDBError) -> any Error {
        if case .memoryLimit = cause { return hostMemoryError(message) }
        return ScriptError(message)
    }
}

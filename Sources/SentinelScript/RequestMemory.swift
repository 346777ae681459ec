import DynamoDB
import Lua

/// The memory a DynamoDB request started from a script holds, charged to the script's memory limit
/// here because the `DynamoDB` module knows nothing of Lua. The estimate is simple: each item is held
/// twice while the call runs, as an `Item` and inside the JSON request body, each about the item's size
/// as DynamoDB measures it (names plus values). It is reserved once the items are converted and given
/// back when the host function returns to Lua, so it covers the whole `BlockingCall`.
enum RequestMemory {
    /// Bytes the items and their request body are estimated to hold.
    static func estimate(_ items: [Item]) -> Int {
        let size = items.reduce(0) { total, item in
            let (sum, overflow) = total.addingReportingOverflow(ItemSize.of(item))
            return overflow ? Int.max : sum
        }
        let (twice, overflow) = size.multipliedReportingOverflow(by: 2)
        return overflow ? Int.max : twice
    }

    /// Reserves the estimate for the rest of the call, or throws the memory-limit error naming `what`
    /// (`item`, `items`, `key`).
    static func reserve(for items: [Item], in call: LuaCall, what: String) throws {
        try call.reserveMemory(estimate(items), for: "'\(what)' and its request body")
    }
}

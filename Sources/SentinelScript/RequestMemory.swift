import DynamoDB
import Lua

/// The memory a DynamoDB request started from a script holds, charged to the script's memory limit
/// here because the `DynamoDB` module knows nothing of Lua. The estimate is `ItemSize.heldInMemory`, the
/// one every budget charges for items: each item held twice, as an `Item` and inside the JSON request
/// body. It is reserved once the items are converted and given back when the host function returns to
/// Lua, so it covers the whole `BlockingCall`.
enum RequestMemory {
    /// Reserves the estimate for the rest of the call, or throws the memory-limit error naming `what`
    /// (`item`, `items`, `key`).
    static func reserve(for items: [Item], in call: LuaCall, what: String) throws {
        try call.reserveMemory(ItemSize.heldInMemory(items), for: "'\(what)' and its request body")
    }
}

import DynamoDB
import Lua

/// `max_rcu` and `max_wcu`: the capacity budget of a script's bulk call (`db.scan` with segments,
/// `db.export`, `db.import`, `db.put_all`, `sentinel.migrate`), in units per second, by the number
/// rule every numeric option follows; what `--max-rcu` and `--max-wcu` are on the command line.
enum LuaCapacityOptions {
    static let names = ["max_rcu", "max_wcu"]
    /// The most units per second an option takes, as on the command line.
    static let maximumUnits = 10_000_000

    /// The budget the options give (nil when neither is given); `read` and `write` say which kinds
    /// the call uses (an option for the other is an error: it would limit nothing).
    static func budget(_ options: [String: LuaValue], read: Bool, write: Bool, call: LuaCall) throws
        -> CapacityBudget?
    {
        func units(_ name: String, used: Bool) throws -> Double? {
            guard let value = options[name], value != .nil else { return nil }
            let whole = try value.wholeNumber(in: 1...maximumUnits, field: call.option(name))
            guard used else {
                throw ScriptError(
                    "\(call.option(name)) limits nothing: \(call.functionName) does not "
                        + (name == "max_rcu" ? "read" : "write") + " items")
            }
            return Double(whole)
        }
        let readUnits = try units("max_rcu", used: read)
        let writeUnits = try units("max_wcu", used: write)
        guard readUnits != nil || writeUnits != nil else { return nil }
        return CapacityBudget(readUnits: readUnits, writeUnits: writeUnits)
    }
}

import JSON
import Lua

/// JSON documents as Lua values, for results that have a JSON form too (plans, apply results, status):
/// a script sees the same fields `--json` prints.
enum LuaJSON {
    /// Objects become maps (null members left out, as Lua tables leave out nil), arrays arrays (an
    /// empty one stays an array), integers Lua integers.
    static func value(of json: JSONValue) -> LuaValue {
        switch json {
        case .null:
            return .nil
        case .bool(let value):
            return .boolean(value)
        case .number(let number):
            if let integer = number.int64Value { return .integer(integer) }
            return number.doubleValue.map(LuaValue.number) ?? .text(number.text)
        case .string(let text):
            return .text(text)
        case .array(let elements):
            return .array(elements.map(value(of:)))
        case .object(let object):
            var entries: [LuaValue: LuaValue] = [:]
            for (key, member) in object where member != .null {
                entries[.text(key)] = value(of: member)
            }
            return .map(entries)
        }
    }
}

import JSON
import Lua
import Schema

/// Turns a schema into the plain Lua table a script sees and edits: the same fields, names and order
/// as `sentinel-tables schema --format json`, with keys always written as `{ name =, type = }`.
enum LuaSchemaWriter {
    static func value(of schema: TableSchema) -> LuaValue {
        value(of: schema.schemaDocument())
    }

    /// A JSON document as Lua values: objects become maps, arrays arrays (an empty one stays an array),
    /// integers Lua integers.
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

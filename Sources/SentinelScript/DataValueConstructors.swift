import DynamoDB
import Lua

/// `sentinel.number`, `binary`, `set`, `null`, `list` and `map`: the values a plain Lua value cannot
/// say (an exact decimal, bytes, a set, NULL, an empty list versus an empty map).
struct DataValueConstructors {
    /// The state's one `sentinel.null`.
    let null: LuaValue

    func register(in state: LuaState) -> [String: LuaValue] {
        [
            "number": state.function(named: "sentinel.number", number),
            "binary": state.function(named: "sentinel.binary", binary),
            "set": state.function(named: "sentinel.set", set),
            "list": state.function(named: "sentinel.list", list),
            "map": state.function(named: "sentinel.map", map),
            "null": null,
        ]
    }

    /// `sentinel.number("12345678901234567890.5")`: exact decimal text (a Lua number is accepted too).
    private func number(_ call: LuaCall) throws -> LuaResults {
        let value = try call.value(1)
        if call.state.object(value, as: ExactNumberValue.self) != nil { return try call.returning(value) }
        let number: AttributeNumber
        switch value {
        case .string(let string):
            // The one definition of a DynamoDB number (digits and range), so a value made here is one
            // DynamoDB stores.
            guard let text = string.text, let parsed = AttributeNumber(text) else {
                let problem = string.text.flatMap(AttributeNumber.problem) ?? "not a decimal number"
                throw call.argumentError(1, "not a number DynamoDB can store: \(problem)")
            }
            number = parsed
        case .integer, .number:
            number = try LuaAttributeReader(state: call.state).number(value, path: "#1")
        default:
            throw call.typeError(1, expected: "string")
        }
        return try call.returning(call.state.userdata(ExactNumberValue(number)))
    }

    /// `sentinel.binary(s)`: the bytes of a Lua string as a `B` value.
    private func binary(_ call: LuaCall) throws -> LuaResults {
        let value = try call.value(1)
        if call.state.object(value, as: BinaryValue.self) != nil { return try call.returning(value) }
        guard case .string(let string) = value else { throw call.typeError(1, expected: "string") }
        return try call.returning(call.state.userdata(BinaryValue(string.bytes)))
    }

    /// `sentinel.set{ ... }`: strings make an `SS`, numbers an `NS`, `sentinel.binary` values a `BS`.
    private func set(_ call: LuaCall) throws -> LuaResults {
        guard let elements = try call.table(1).arrayValue else {
            throw call.argumentError(1, "list of set elements expected")
        }
        let value = try LuaAttributeReader(state: call.state).set(elements, path: "set")
        return try call.returning(call.state.userdata(SetValue(value)))
    }

    /// `sentinel.list(t)`: `t` as a list (an `L`), even when empty.
    private func list(_ call: LuaCall) throws -> LuaResults {
        guard let elements = try call.table(1).arrayValue else {
            throw call.argumentError(1, "list expected (keys 1..n only)")
        }
        return try call.returning(.array(elements))
    }

    /// `sentinel.map(t)`: `t` as a map (an `M`), even when empty; its keys must be strings.
    private func map(_ call: LuaCall) throws -> LuaResults {
        let table = try call.table(1)
        if table.arrayValue?.isEmpty == true { return try call.returning(.map([:])) }
        guard case .map(let entries) = table, entries.keys.allSatisfy({ $0.stringValue != nil }) else {
            throw call.argumentError(1, "map keys must be strings")
        }
        return try call.returning(table)
    }
}

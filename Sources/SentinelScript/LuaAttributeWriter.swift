import DynamoDB
import Lua

/// Converts DynamoDB attribute values to Lua values: plain Lua values where they are exact (strings,
/// booleans, integers, floats, tables), the `sentinel.*` value types otherwise, so that writing a value
/// read here gives DynamoDB the same value back.
struct LuaAttributeWriter {
    let state: LuaState
    /// The state's one `sentinel.null`.
    let null: LuaValue

    func item(_ item: Item) throws -> LuaValue {
        var entries: [LuaValue: LuaValue] = [:]
        for (name, value) in item {
            entries[.text(name.text)] = try self.value(value)
        }
        return .map(entries)
    }

    func value(_ value: AttributeValue) throws -> LuaValue {
        switch value {
        case .string(let text): return .text(text)
        case .number(let number): return try self.number(number)
        case .binary(let bytes): return try state.userdata(BinaryValue(bytes))
        case .bool(let flag): return .boolean(flag)
        case .null: return null
        case .map(let map):
            var entries: [LuaValue: LuaValue] = [:]
            for (name, member) in map {
                entries[.text(name.text)] = try self.value(member)
            }
            return .map(entries)
        case .list(let elements): return .array(try elements.map(self.value))
        case .stringSet, .numberSet, .binarySet: return try state.userdata(SetValue(value))
        }
    }

    /// The elements of a set as a list, in the order DynamoDB gave them.
    func elements(ofSet set: AttributeValue) throws -> LuaValue {
        switch set {
        case .stringSet(let strings): .array(strings.map(LuaValue.text))
        case .numberSet(let numbers): .array(try numbers.map(number))
        case .binarySet(let blobs): .array(try blobs.map { try state.userdata(BinaryValue($0)) })
        default: .array([])
        }
    }

    /// A Lua integer when the number is whole and fits, a float when a double holds it exactly (by its
    /// shortest text), and a `sentinel.number` otherwise: nothing is rounded.
    func number(_ number: AttributeNumber) throws -> LuaValue {
        guard let decimal = ExactDecimal(number.text) else {
            return try state.userdata(ExactNumberValue(number))
        }
        if let integer = decimal.int64Value { return .integer(integer) }
        if decimal.exponent < decimal.digits.count, let double = decimal.exactDoubleValue {
            return .number(double)
        }
        return try state.userdata(ExactNumberValue(number))
    }
}

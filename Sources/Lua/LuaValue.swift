/// A Lua value as Swift sees it.
///
/// Tables arrive as ``array(_:)`` when their keys are exactly `1...n` and as ``map(_:)`` otherwise. An
/// empty table arrives as an empty map unless it carries the array marker that pushing an empty
/// ``array(_:)`` sets, so an empty list survives a round trip.
public enum LuaValue: Hashable, Sendable {
    case `nil`
    case boolean(Bool)
    /// A Lua integer: always 64-bit, never converted to a float.
    case integer(Int64)
    /// A Lua float.
    case number(Double)
    case string(LuaString)
    case array([LuaValue])
    case map([LuaValue: LuaValue])
    /// A Lua function (Lua or host) kept alive in the registry of the state it came from.
    case function(LuaReference)
    /// A full or light userdata kept alive in the registry of the state it came from.
    case userdata(LuaReference)
    /// A coroutine kept alive in the registry of the state it came from.
    case thread(LuaReference)

    /// Lua's name for the type of this value, as `type()` returns it.
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .array, .map: "table"
        case .function: "function"
        case .userdata: "userdata"
        case .thread: "thread"
        }
    }

    /// Lua truthiness: everything but nil and false is true.
    public var isTruthy: Bool {
        switch self {
        case .nil, .boolean(false): false
        default: true
        }
    }

    public var isNil: Bool { self == .nil }

    /// The text of a string value (nil for other types and for invalid UTF-8).
    public var stringValue: String? {
        if case .string(let string) = self { string.text } else { nil }
    }

    /// An integer, or a float with an exact integer value (as Lua's `math.tointeger`).
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .number(let value): Int64(exactly: value)
        default: nil
        }
    }

    /// Any number as a Double.
    public var numberValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    public var booleanValue: Bool? {
        if case .boolean(let value) = self { value } else { nil }
    }

    /// The elements of an array, or of an empty map (an empty Lua table is both).
    public var arrayValue: [LuaValue]? {
        switch self {
        case .array(let elements): elements
        case .map(let entries) where entries.isEmpty: []
        default: nil
        }
    }

    /// The entries of a table; an array's keys are the integers `1...n`.
    public var mapValue: [LuaValue: LuaValue]? {
        switch self {
        case .map(let entries):
            return entries
        case .array(let elements):
            var entries: [LuaValue: LuaValue] = [:]
            for (offset, element) in elements.enumerated() {
                entries[.integer(Int64(offset + 1))] = element
            }
            return entries
        default:
            return nil
        }
    }

    /// Looks up a string key in a map.
    public subscript(key: String) -> LuaValue {
        mapValue?[.string(LuaString(key))] ?? .nil
    }
}

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(LuaString(value)) }
    public init(arrayLiteral elements: LuaValue...) { self = .array(elements) }

    public init(dictionaryLiteral elements: (LuaValue, LuaValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// A string value from Swift text.
    public static func text(_ value: String) -> LuaValue { .string(LuaString(value)) }
}

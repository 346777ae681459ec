import DynamoDB
import Lua

/// `sentinel.number`: a DynamoDB `N` that a Lua integer or float cannot hold exactly, kept as its text.
final class ExactNumberValue {
    let number: AttributeNumber
    let decimal: ExactDecimal

    init(_ number: AttributeNumber) {
        self.number = number
        // AttributeNumber only holds valid decimal text.
        decimal = ExactDecimal(number.text) ?? .zero
    }
}

/// `sentinel.binary`: a DynamoDB `B` value, bytes that need not be text.
final class BinaryValue {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }
}

/// `sentinel.set`: a DynamoDB `SS`, `NS` or `BS` value.
final class SetValue {
    let value: AttributeValue

    init(_ value: AttributeValue) {
        self.value = value
    }

    var count: Int {
        switch value {
        case .stringSet(let elements): elements.count
        case .numberSet(let elements): elements.count
        case .binarySet(let elements): elements.count
        default: 0
        }
    }

    /// What `tostring` gives, to be read at the REPL: the type and the first elements, as
    /// `sentinel.set SS{"admin", "ops"}`, then how many more there are.
    var description: String {
        let shown = 8
        let texts: [String] =
            switch value {
            case .stringSet(let elements): elements.prefix(shown).map(LuaSchemaSource.quoted)
            case .numberSet(let elements): elements.prefix(shown).map(\.text)
            case .binarySet(let elements):
                elements.prefix(shown).map { LuaSchemaSource.quoted(Base64.encode($0)) }
            default: []
            }
        let more = count > shown ? ", ... (\(count) elements)" : ""
        return "sentinel.set \(value.typeCode){" + texts.joined(separator: ", ") + more + "}"
    }
}

/// `sentinel.null`: DynamoDB's `NULL`, one value per state so `v == sentinel.null` works.
final class NullValue {}

/// Registers the userdata types of the data values, with the metamethods that make them behave like
/// the values they stand for: numbers compare with numbers, everything prints.
enum DataValueTypes {
    static func register(in state: LuaState) {
        state.registerType(
            ExactNumberValue.self, name: "sentinel.number",
            methods: [
                "float": { call in
                    call.returning(Double(try call.object(1, as: ExactNumberValue.self).number.text) ?? .nan)
                }
            ],
            metamethods: [
                "__tostring": { call in
                    call.returning(try call.object(1, as: ExactNumberValue.self).number.text)
                },
                "__eq": { call in call.returning(try compare(call) == 0) },
                "__lt": { call in call.returning(try compare(call).map { $0 < 0 } ?? false) },
                "__le": { call in call.returning(try compare(call).map { $0 <= 0 } ?? false) },
            ])
        state.registerType(
            BinaryValue.self, name: "sentinel.binary",
            methods: [
                "bytes": { call in try call.returning(.string(LuaString(bytes: binary(call, 1).bytes))) }
            ],
            metamethods: [
                "__tostring": { call in call.returning(Base64.encode(try binary(call, 1).bytes)) },
                "__len": { call in call.returning(Int64(try binary(call, 1).bytes.count)) },
                "__eq": { call in
                    let other = try? call.object(2, as: BinaryValue.self)
                    return call.returning(other?.bytes == (try binary(call, 1).bytes))
                },
            ])
        state.registerType(
            SetValue.self, name: "sentinel.set",
            methods: [
                "values": { call in
                    let set = try call.object(1, as: SetValue.self)
                    return try call.returning(
                        LuaAttributeWriter(state: call.state, null: .nil).elements(ofSet: set.value))
                }
            ],
            metamethods: [
                "__len": { call in call.returning(Int64(try call.object(1, as: SetValue.self).count)) },
                "__tostring": { call in call.returning(try call.object(1, as: SetValue.self).description) },
                "__eq": { call in
                    let other = try? call.object(2, as: SetValue.self)
                    let set = try call.object(1, as: SetValue.self)
                    return call.returning(other.map { sameElements(set.value, $0.value) } ?? false)
                },
            ])
        state.registerType(
            NullValue.self, name: "sentinel.null", methods: [:],
            metamethods: ["__tostring": { call in call.returning("sentinel.null") }])
    }

    private static func binary(_ call: LuaCall, _ position: Int) throws -> BinaryValue {
        try call.object(position, as: BinaryValue.self)
    }

    /// The order of the two operands of a comparison metamethod (one of them is a `sentinel.number`,
    /// the other may be a Lua number): nil when they are unordered (NaN) or not both numbers.
    private static func compare(_ call: LuaCall) throws -> Int? {
        guard let lhs = try operand(call, 1), let rhs = try operand(call, 2) else { return nil }
        switch (lhs, rhs) {
        case (.decimal(let a), .decimal(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.infinite(let a), .infinite(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.infinite(let a), .decimal): return a
        case (.decimal, .infinite(let b)): return -b
        }
    }

    private enum Operand {
        case decimal(ExactDecimal)
        /// -1 or 1.
        case infinite(Int)
    }

    private static func operand(_ call: LuaCall, _ position: Int) throws -> Operand? {
        if let number = try? call.object(position, as: ExactNumberValue.self) {
            return .decimal(number.decimal)
        }
        switch try call.value(position) {
        case .integer(let value): return .decimal(ExactDecimal(value))
        case .number(let value):
            if value.isNaN { return nil }
            if value.isInfinite { return .infinite(value < 0 ? -1 : 1) }
            return ExactDecimal(value).map(Operand.decimal)
        default: return nil
        }
    }

    /// Set equality: the same elements in any order (numbers by value).
    private static func sameElements(_ lhs: AttributeValue, _ rhs: AttributeValue) -> Bool {
        switch (lhs, rhs) {
        case (.stringSet(let a), .stringSet(let b)): Set(a) == Set(b)
        case (.binarySet(let a), .binarySet(let b)): Set(a) == Set(b)
        case (.numberSet(let a), .numberSet(let b)):
            Set(a.compactMap { ExactDecimal($0.text) }) == Set(b.compactMap { ExactDecimal($0.text) })
        default: false
        }
    }
}

extension AttributeValue {
    /// DynamoDB's type code: `S`, `N`, `SS`, ...
    var typeCode: String {
        switch self {
        case .string: "S"
        case .number: "N"
        case .binary: "B"
        case .bool: "BOOL"
        case .null: "NULL"
        case .map: "M"
        case .list: "L"
        case .stringSet: "SS"
        case .numberSet: "NS"
        case .binarySet: "BS"
        }
    }
}

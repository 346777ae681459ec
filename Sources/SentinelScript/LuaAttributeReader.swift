import DynamoDB
import JSON
import Lua
import Numbers

/// Converts Lua values to DynamoDB attribute values, so that every value `sentinel.db` reads can be
/// written back unchanged. Errors name the field's path from a root such as `item`: `item.tags[2]`.
struct LuaAttributeReader {
    let state: LuaState

    /// A conversion failure at a field path.
    struct ConversionError: Error, CustomStringConvertible {
        let path: String
        let problem: String

        var description: String { "\(path): \(problem)" }
    }

    /// A map of string keys as an item (or a key).
    func item(_ value: LuaValue, path: String) throws -> Item {
        guard case .map(let entries) = value else {
            if value.arrayValue?.isEmpty == true { return [:] }
            let found = value.arrayValue != nil ? "a list" : describe(value)
            throw ConversionError(
                path: path, problem: "table of attribute names to values expected, got \(found)")
        }
        try checkKeys(entries, path: path)
        var item: Item = [:]
        for (key, element) in entries {
            let name = try attributeName(key, in: path)
            item[AttributeName(name)] = try attribute(element, path: Self.member(path, name))
        }
        return item
    }

    /// One value; see docs/lua-api.md for the mapping.
    func attribute(_ value: LuaValue, path: String) throws -> AttributeValue {
        switch value {
        case .nil:
            throw ConversionError(path: path, problem: "nil cannot be stored; use sentinel.null for NULL")
        case .boolean(let flag):
            return .bool(flag)
        case .integer, .number:
            return .number(try number(value, path: path))
        case .string(let string):
            guard let text = string.text else {
                throw ConversionError(
                    path: path, problem: "string is not valid UTF-8; use sentinel.binary(s) to store bytes")
            }
            return .string(text)
        case .array(let elements):
            return .list(
                try elements.enumerated().map { try attribute($1, path: Self.element(path, $0 + 1)) })
        case .map(let entries):
            try checkKeys(entries, path: path)
            var map: Item = [:]
            for (key, element) in entries {
                let name = try attributeName(key, in: path)
                map[AttributeName(name)] = try attribute(element, path: Self.member(path, name))
            }
            return .map(map)
        case .userdata:
            if let number = state.object(value, as: ExactNumberValue.self) { return .number(number.number) }
            if let binary = state.object(value, as: BinaryValue.self) { return .binary(binary.bytes) }
            if let set = state.object(value, as: SetValue.self) { return set.value }
            if state.object(value, as: NullValue.self) != nil { return .null }
            throw ConversionError(path: path, problem: "a userdata of this kind cannot be stored")
        case .function, .thread:
            throw ConversionError(path: path, problem: "a \(value.typeName) cannot be stored")
        }
    }

    /// A Lua number or `sentinel.number` as an `N`.
    func number(_ value: LuaValue, path: String) throws -> AttributeNumber {
        switch value {
        case .integer(let integer):
            return AttributeNumber(integer)
        case .number(let double):
            guard double.isFinite else {
                throw ConversionError(
                    path: path,
                    problem: "\(WholeNumber.text(double)) cannot be stored: DynamoDB numbers are finite")
            }
            guard let number = AttributeNumber(double.description) else {
                let problem = AttributeNumber.problem(double.description) ?? "not a decimal number"
                throw ConversionError(path: path, problem: "\(double) cannot be stored: \(problem)")
            }
            // In DynamoDB's own form: `2^3` is `8`, not `8.0`, so a key written from a float is the
            // key DynamoDB answers with.
            return number.canonical
        default:
            if let number = state.object(value, as: ExactNumberValue.self) { return number.number }
            throw ConversionError(path: path, problem: "number expected, got \(describe(value))")
        }
    }

    /// The elements of `sentinel.set{...}`: strings make an SS, numbers an NS, binaries a BS.
    func set(_ elements: [LuaValue], path: String) throws -> AttributeValue {
        guard let first = elements.first else {
            throw ConversionError(path: path, problem: "a set cannot be empty (DynamoDB has no empty sets)")
        }
        let converted = try elements.enumerated().map { try attribute($1, path: Self.element(path, $0 + 1)) }
        switch try attribute(first, path: Self.element(path, 1)) {
        case .string:
            let strings = try converted.enumerated().map { offset, element in
                guard case .string(let text) = element else { throw mixed(element, offset, "strings", path) }
                return text
            }
            // By bytes: two spellings of "café" are two elements to DynamoDB.
            try checkUnique(strings.map { ExactString($0) }, path: path)
            return .stringSet(strings)
        case .number:
            let numbers = try converted.enumerated().map { offset, element in
                guard case .number(let number) = element else {
                    throw mixed(element, offset, "numbers", path)
                }
                return number
            }
            try checkUnique(numbers.map { ExactDecimal($0.text) ?? .zero }, path: path)
            return .numberSet(numbers)
        case .binary:
            let blobs = try converted.enumerated().map { offset, element in
                guard case .binary(let bytes) = element else {
                    throw mixed(element, offset, "binaries", path)
                }
                return bytes
            }
            try checkUnique(blobs, path: path)
            return .binarySet(blobs)
        default:
            throw ConversionError(
                path: Self.element(path, 1),
                problem: "sets hold strings, numbers or sentinel.binary values, not \(describe(first))")
        }
    }

    private func mixed(_ element: AttributeValue, _ offset: Int, _ kind: String, _ path: String)
        -> ConversionError
    {
        ConversionError(
            path: Self.element(path, offset + 1),
            problem: "a set holds one type: this one holds \(kind), not \(element.typeCode)")
    }

    private func checkUnique<T: Hashable>(_ elements: [T], path: String) throws {
        var seen: Set<T> = []
        for (offset, element) in elements.enumerated() where !seen.insert(element).inserted {
            throw ConversionError(
                path: Self.element(path, offset + 1), problem: "duplicate set element (DynamoDB refuses them)"
            )
        }
    }

    /// Names the first key that is not a string (the lowest integer one first), so the message does
    /// not depend on table order.
    private func checkKeys(_ entries: [LuaValue: LuaValue], path: String) throws {
        let others = entries.keys.filter { $0.stringValue == nil }
        guard !others.isEmpty else { return }
        let first = others.min { ($0.numberValue ?? .infinity) < ($1.numberValue ?? .infinity) } ?? others[0]
        _ = try attributeName(first, in: path)
    }

    private func attributeName(_ key: LuaValue, in path: String) throws -> String {
        guard case .string(let string) = key else {
            let shown = key.integerValue.map { "\($0)" } ?? key.typeName
            throw ConversionError(
                path: path,
                problem:
                    "attribute names must be strings, found key \(shown) (a list must have keys 1..n only)")
        }
        guard let name = string.text else {
            throw ConversionError(path: path, problem: "attribute name is not valid UTF-8")
        }
        return name
    }

    private func describe(_ value: LuaValue) -> String {
        switch value {
        case .userdata:
            if state.object(value, as: ExactNumberValue.self) != nil { return "sentinel.number" }
            if state.object(value, as: BinaryValue.self) != nil { return "sentinel.binary" }
            if state.object(value, as: SetValue.self) != nil { return "sentinel.set" }
            if state.object(value, as: NullValue.self) != nil { return "sentinel.null" }
            return "userdata"
        default: return value.typeName
        }
    }

    // MARK: Paths

    /// `item.name`, or `item["odd name"]` when the name is not a Lua identifier.
    static func member(_ path: String, _ name: String) -> String {
        let isIdentifier =
            name.first.map { $0 == "_" || $0.isASCII && $0.isLetter } == true
            && name.allSatisfy { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }
        if path.isEmpty { return isIdentifier ? name : "[\"\(name)\"]" }
        return isIdentifier ? "\(path).\(name)" : "\(path)[\"\(name)\"]"
    }

    /// `item.tags[2]`, counting from 1 as Lua does.
    static func element(_ path: String, _ position: Int) -> String {
        "\(path)[\(position)]"
    }
}

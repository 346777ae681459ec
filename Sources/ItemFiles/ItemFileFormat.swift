import DynamoDBModel
import JSON

/// How items are written in export and import files: one item per line (JSON Lines).
public enum ItemFileFormat: String, Sendable, CaseIterable {
    /// DynamoDB's own export format (ExportTableToPointInTime with `DYNAMODB_JSON`, read by
    /// ImportTable): `{"Item":{"id":{"S":"a"},"n":{"N":"1"}}}`. Every attribute type survives.
    case dynamoDBJSON = "dynamodb-json"
    /// Plain JSON, for other tools (`jq`): `{"id":"a","n":1}`. Numbers keep their exact text; sets
    /// become arrays and binary values base64 text, so those types do not come back on import.
    case json

    /// One item as a line, without its newline. Members are sorted by name, so an item always gives
    /// the same bytes.
    public func line(_ item: Item) -> [UInt8] {
        let writer = JSONWriter(style: .compact)
        switch self {
        case .dynamoDBJSON: return writer.bytes(from: ["Item": AttributeValue.json(item)])
        case .json: return writer.bytes(from: Self.plain(item))
        }
    }

    /// The item on one line; errors name the field's path (`Item.tags[2]`).
    public func item(fromLine line: [UInt8]) throws(ValueDecodingError) -> Item {
        let document: JSONValue
        do {
            document = try JSONParser().parse(bytes: line)
        } catch {
            throw ValueDecodingError(path: "", message: "not JSON: \(error)")
        }
        switch self {
        case .dynamoDBJSON:
            guard case .object(let members) = document, members.count == 1, let item = members["Item"] else {
                throw ValueDecodingError(
                    path: "",
                    message: #"expected {"Item": {...}} (DynamoDB JSON; --format json reads plain JSON)"#)
            }
            return try AttributeValue.item(json: item, path: "Item")
        case .json:
            guard case .object(let members) = document else {
                throw ValueDecodingError(
                    path: "", message: "expected a JSON object of attribute names to values")
            }
            var item: Item = [:]
            for (name, value) in members {
                item[AttributeName(name)] = try Self.attribute(plain: value, path: name)
            }
            return item
        }
    }

    // MARK: Plain JSON

    /// An item as plain JSON (`--format json`; `watch --json`): exact numbers, sets as arrays, binary
    /// values as base64 text.
    public static func plain(_ item: Item) -> JSONValue {
        .object(JSONObject(item.keys.sorted().map { ($0.text, plain(item[$0]!)) }))
    }

    /// One value as plain JSON, as ``plain(_:)-swift.type.method`` writes it in an item.
    public static func plain(_ value: AttributeValue) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .number(let number): .number(JSONNumber(number))
        case .binary(let bytes): .string(Base64.encode(bytes))
        case .bool(let flag): .bool(flag)
        case .null: .null
        case .map(let members): plain(members)
        case .list(let elements): .array(elements.map(plain))
        case .stringSet(let texts): .array(texts.map(JSONValue.string))
        case .numberSet(let numbers): .array(numbers.map { .number(JSONNumber($0)) })
        case .binarySet(let values): .array(values.map { .string(Base64.encode($0)) })
        }
    }

    static func attribute(plain value: JSONValue, path: String) throws(ValueDecodingError) -> AttributeValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .number(let number):
            guard let parsed = AttributeNumber(number.text) else {
                let problem = AttributeNumber.problem(number.text) ?? "not a decimal number"
                throw ValueDecodingError(
                    path: path, message: "\(number.text) is not a number DynamoDB can store: \(problem)")
            }
            return .number(parsed)
        case .array(let elements):
            var list: [AttributeValue] = []
            for (offset, element) in elements.enumerated() {
                list.append(try attribute(plain: element, path: "\(path)[\(offset)]"))
            }
            return .list(list)
        case .object(let members):
            var map: Item = [:]
            for (name, member) in members {
                map[AttributeName(name)] = try attribute(plain: member, path: "\(path).\(name)")
            }
            return .map(map)
        }
    }
}

extension JSONNumber {
    /// A DynamoDB number as a JSON number: its text when JSON can write it as it is (`12.50`), else
    /// its canonical form (`.5`, which JSON cannot start with, becomes `0.5`).
    init(_ number: AttributeNumber) {
        self = JSONNumber(number.text) ?? JSONNumber(number.canonical.text) ?? JSONNumber(0)
    }
}

import JSON

/// An attribute name or map key: compared by its bytes, as DynamoDB compares names (see
/// ``ExactString``), so two spellings of "café" stay two attributes.
public typealias AttributeName = ExactString

/// An item: attribute names to values.
public typealias Item = [AttributeName: AttributeValue]

/// A DynamoDB attribute value, all ten types of the wire format.
///
/// Sets keep the order they were given or received in; DynamoDB treats them as unordered.
public indirect enum AttributeValue: Sendable, Hashable {
    /// `S`: a string.
    case string(String)
    /// `N`: a number as exact decimal text.
    case number(AttributeNumber)
    /// `B`: bytes (base64 on the wire).
    case binary([UInt8])
    /// `BOOL`.
    case bool(Bool)
    /// `NULL`.
    case null
    /// `M`: a map of values.
    case map([AttributeName: AttributeValue])
    /// `L`: a list of values.
    case list([AttributeValue])
    /// `SS`: a string set.
    case stringSet([String])
    /// `NS`: a number set.
    case numberSet([AttributeNumber])
    /// `BS`: a binary set.
    case binarySet([[UInt8]])

    /// The wire form: `{"S": "text"}`, `{"N": "12"}`, `{"B": "AAE="}`, `{"M": {...}}`, ...
    /// Map members are written in sorted key order, so the same value always gives the same bytes.
    public var json: JSONValue {
        switch self {
        case .string(let value): ["S": .string(value)]
        case .number(let value): ["N": .string(value.text)]
        case .binary(let value): ["B": .string(Base64.encode(value))]
        case .bool(let value): ["BOOL": .bool(value)]
        case .null: ["NULL": true]
        case .map(let value): ["M": Self.json(value)]
        case .list(let value): ["L": .array(value.map(\.json))]
        case .stringSet(let value): ["SS": .array(value.map(JSONValue.string))]
        case .numberSet(let value): ["NS": .array(value.map { .string($0.text) })]
        case .binarySet(let value): ["BS": .array(value.map { .string(Base64.encode($0)) })]
        }
    }

    /// The wire form of an item, keys sorted.
    public static func json(_ item: Item) -> JSONValue {
        .object(JSONObject(item.keys.sorted().map { ($0.text, item[$0]!.json) }))
    }

    /// Decodes the wire form; errors name the path from `path` down.
    public init(json: JSONValue, path: String = "") throws(ValueDecodingError) {
        try self.init(JSONReader(json, path: path))
    }

    /// Decodes an item's wire form (`{"id": {"S": "1"}, ...}`).
    public static func item(json: JSONValue, path: String = "") throws(ValueDecodingError) -> Item {
        try item(JSONReader(json, path: path))
    }

    package static func item(_ reader: JSONReader) throws(ValueDecodingError) -> Item {
        var item: Item = [:]
        for (name, value) in try reader.members() {
            item[AttributeName(name)] = try AttributeValue(value)
        }
        return item
    }

    package init(_ reader: JSONReader) throws(ValueDecodingError) {
        let members = try reader.members()
        guard members.count == 1, let (type, typed) = members.first else {
            throw reader.fail(
                "expected an attribute value with exactly one type key, found \(members.count) keys")
        }
        // Paths leave the type key out, so they read as the item does: `Items[3].tags[0]`.
        let value = JSONReader(typed.value, path: reader.path)
        switch type {
        case "S": self = .string(try value.string())
        case "N": self = .number(try Self.number(value))
        case "B": self = .binary(try Self.binary(value))
        case "BOOL": self = .bool(try value.bool())
        case "NULL":
            guard try value.bool() else { throw value.fail("NULL must be true") }
            self = .null
        case "M":
            var map: Item = [:]
            for (name, member) in try value.members() {
                map[AttributeName(name)] = try AttributeValue(member)
            }
            self = .map(map)
        case "L":
            var list: [AttributeValue] = []
            for element in try value.array() {
                list.append(try AttributeValue(element))
            }
            self = .list(list)
        case "SS":
            var strings: [String] = []
            for element in try value.array() { strings.append(try element.string()) }
            self = .stringSet(strings)
        case "NS":
            var numbers: [AttributeNumber] = []
            for element in try value.array() { numbers.append(try Self.number(element)) }
            self = .numberSet(numbers)
        case "BS":
            var blobs: [[UInt8]] = []
            for element in try value.array() { blobs.append(try Self.binary(element)) }
            self = .binarySet(blobs)
        default:
            throw reader.fail("unknown attribute type '\(type.prefix(20))'")
        }
    }

    private static func number(_ reader: JSONReader) throws(ValueDecodingError) -> AttributeNumber {
        let text = try reader.string()
        guard let number = AttributeNumber(text) else {
            let problem = AttributeNumber.problem(text) ?? "not a decimal number"
            throw reader.fail("\"\(text.prefix(60))\" is not a number DynamoDB can store: \(problem)")
        }
        return number
    }

    private static func binary(_ reader: JSONReader) throws(ValueDecodingError) -> [UInt8] {
        guard let bytes = Base64.decode(try reader.string()) else { throw reader.fail("expected base64") }
        return bytes
    }
}

extension AttributeValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension AttributeValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self = .number(AttributeNumber(value))
    }
}

extension AttributeValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

/// A JSON value (RFC 8259), as parsed by ``JSONParser`` and written by ``JSONWriter``.
///
/// Numbers keep their exact decimal text (``JSONNumber``) and objects keep their member order
/// (``JSONObject``), so parsing and writing a document changes nothing but whitespace.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// An integer number.
    public init(_ value: Int) {
        self = .number(JSONNumber(value))
    }

    /// A string.
    public init(_ value: String) {
        self = .string(value)
    }

    /// A boolean.
    public init(_ value: Bool) {
        self = .bool(value)
    }

    /// The value `text` holds, parsed strictly with the default nesting limit.
    public init(parsing text: String) throws(JSONParseError) {
        self = try JSONParser().parse(text)
    }

    /// The member `key` of an object; `nil` when absent or when this is not an object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index` of an array; `nil` when out of range or when this is not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, when this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number, when this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The number as an `Int`, when this is an integer number that fits.
    public var intValue: Int? { numberValue?.intValue }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool { self == .null }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text, so values read well in test failures and logs.
    public var description: String { JSONWriter(style: .compact).string(from: self) }
}

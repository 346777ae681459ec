import JSON

/// A JSON value together with its path in the document, so every decoder reports where a value has
/// the wrong shape (`Table.GlobalSecondaryIndexes[1].IndexStatus: expected a string`).
package struct JSONReader {
    package let value: JSONValue
    package let path: String

    package init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    package init(_ object: JSONObject, path: String = "") {
        self.init(.object(object), path: path)
    }

    package func fail(_ message: String) -> ValueDecodingError {
        ValueDecodingError(path: path, message: message)
    }

    private func childPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The member `key`, or `nil` when absent or JSON `null`.
    package func optional(_ key: String) throws(ValueDecodingError) -> JSONReader? {
        let object = try object()
        guard let member = object[key], member != .null else { return nil }
        return JSONReader(member, path: childPath(key))
    }

    /// The member `key`, which must be there.
    package func required(_ key: String) throws(ValueDecodingError) -> JSONReader {
        guard let member = try optional(key) else {
            throw ValueDecodingError(path: childPath(key), message: "missing")
        }
        return member
    }

    package func object() throws(ValueDecodingError) -> JSONObject {
        guard case .object(let object) = value else { throw fail("expected an object, found \(kind)") }
        return object
    }

    /// The members with their readers, in order.
    package func members() throws(ValueDecodingError) -> [(key: String, value: JSONReader)] {
        try object().map { (key: $0.key, value: JSONReader($0.value, path: childPath($0.key))) }
    }

    package func array() throws(ValueDecodingError) -> [JSONReader] {
        try elements().enumerated().map { JSONReader($0.element, path: "\(path)[\($0.offset)]") }
    }

    /// The elements of an array as plain values, for a caller that decodes and drops them one at a
    /// time (a reader per element would keep every element alive until the last is decoded).
    package func elements() throws(ValueDecodingError) -> [JSONValue] {
        guard case .array(let elements) = value else { throw fail("expected an array, found \(kind)") }
        return elements
    }

    package func string() throws(ValueDecodingError) -> String {
        guard case .string(let string) = value else { throw fail("expected a string, found \(kind)") }
        return string
    }

    package func bool() throws(ValueDecodingError) -> Bool {
        guard case .bool(let bool) = value else { throw fail("expected a boolean, found \(kind)") }
        return bool
    }

    package func int() throws(ValueDecodingError) -> Int {
        guard case .number(let number) = value else { throw fail("expected a number, found \(kind)") }
        if let int = number.intValue { return int }
        // DynamoDB writes some counts and dates as doubles (`1.7E9`); accept exact integers.
        if let double = number.doubleValue, abs(double) < 9e15, let whole = Int(exactly: double) {
            return whole
        }
        throw fail("expected an integer, found \(number.text)")
    }

    /// Seconds since the epoch as DynamoDB writes dates (`1.706E9`, possibly with a fraction).
    package func timestamp() throws(ValueDecodingError) -> UTCTimestamp {
        guard case .number(let number) = value, let double = number.doubleValue, abs(double) < 9e15,
            let seconds = Int64(exactly: double.rounded(.down))
        else {
            throw fail("expected a date in seconds since 1970, found \(kind)")
        }
        return UTCTimestamp(secondsSinceEpoch: seconds)
    }

    package func optionalString(_ key: String) throws(ValueDecodingError) -> String? {
        try optional(key)?.string()
    }

    package func optionalInt(_ key: String) throws(ValueDecodingError) -> Int? {
        try optional(key)?.int()
    }

    package func optionalBool(_ key: String) throws(ValueDecodingError) -> Bool? {
        try optional(key)?.bool()
    }

    private var kind: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

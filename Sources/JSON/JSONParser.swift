/// A strict RFC 8259 JSON parser.
///
/// Strict means: one value with optional whitespace around it, no comments, no trailing commas, no
/// single quotes, no `NaN`, no leading zeros, valid UTF-8 only, no unescaped control characters, no
/// lone surrogates in `\u` escapes, and no duplicate keys in an object (RFC 8259 leaves their meaning
/// open; refusing them means a lookup never silently picks one of two values).
///
/// The parser never traps on bad input: every failure is a ``JSONParseError`` with a byte offset. It
/// keeps its own stack rather than recursing, so the nesting limit, not the thread's stack size,
/// bounds how deep a document may go.
public struct JSONParser: Sendable {
    /// The nesting limit used unless another is given.
    public static let defaultMaxDepth = 512

    /// How many arrays and objects may be open at once.
    public var maxDepth: Int

    public init(maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    /// The value `text` holds.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(bytes: Array(text.utf8))
    }

    /// The value that the UTF-8 `bytes` hold.
    public func parse(bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var scanner = JSONScanner(bytes: bytes, maxDepth: maxDepth)
        return try scanner.parseDocument()
    }
}

/// The parser's state: the input, a position and the stack of open containers.
private struct JSONScanner {
    /// An array or object that is open, with what has been read of it so far.
    private enum OpenContainer {
        case array([JSONValue])
        case object(JSONObject, pendingKey: String, keys: Set<ExactString>)
    }

    private let bytes: [UInt8]
    private let maxDepth: Int
    private var position = 0
    private var stack: [OpenContainer] = []

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    // MARK: Structure

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        while true {
            var value = try parseValueOrOpenContainer()
            // Attach the finished value to the containers above it, closing those that end here,
            // until one expects another element or the document is complete.
            while true {
                if stack.isEmpty {
                    skipWhitespace()
                    if position < bytes.count {
                        throw error(
                            .trailingCharacters, "unexpected \(describeCurrent()) after the JSON value")
                    }
                    return value
                }
                if let closed = try attachToInnermostContainer(value) {
                    value = closed
                } else {
                    break
                }
            }
        }
    }

    /// Reads the next complete scalar or empty container; a non-empty container is pushed on the
    /// stack and reading goes on with its first element.
    private mutating func parseValueOrOpenContainer() throws(JSONParseError) -> JSONValue {
        while true {
            skipWhitespace()
            guard position < bytes.count else {
                throw error(.unexpectedEndOfInput, "unexpected end of input, expected a value")
            }
            switch bytes[position] {
            case UInt8(ascii: "["):
                try checkDepth()
                position += 1
                skipWhitespace()
                if peek(UInt8(ascii: "]")) {
                    position += 1
                    return .array([])
                }
                stack.append(.array([]))
            case UInt8(ascii: "{"):
                try checkDepth()
                position += 1
                skipWhitespace()
                if peek(UInt8(ascii: "}")) {
                    position += 1
                    return .object(JSONObject())
                }
                let key = try parseKey(keys: [])
                stack.append(.object(JSONObject(), pendingKey: key, keys: [ExactString(key)]))
            case UInt8(ascii: "\""):
                return .string(try parseString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try parseNumber())
            case UInt8(ascii: "t"):
                return try parseLiteral("true", .bool(true))
            case UInt8(ascii: "f"):
                return try parseLiteral("false", .bool(false))
            case UInt8(ascii: "n"):
                return try parseLiteral("null", .null)
            default:
                throw error(.unexpectedCharacter, "unexpected \(describeCurrent()), expected a value")
            }
        }
    }

    /// Adds `value` to the innermost open container, then reads the separator: returns the container's
    /// value when it closes here, or keeps it open and returns `nil` when another element follows.
    private mutating func attachToInnermostContainer(_ value: JSONValue) throws(JSONParseError) -> JSONValue?
    {
        var container = stack.removeLast()
        skipWhitespace()
        switch container {
        case .array(var elements):
            // Drop the container's reference first, so appending mutates in place instead of copying
            // every element each time (which would make long arrays quadratic).
            container = .array([])
            elements.append(value)
            if consume(UInt8(ascii: ",")) {
                stack.append(.array(elements))
                return nil
            }
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            throw expected("',' or ']' after an array element")
        case .object(var object, let key, var keys):
            container = .array([])  // as above, for the members and the key set
            object.appendNewMember(key, value)
            if consume(UInt8(ascii: ",")) {
                skipWhitespace()
                let next = try parseKey(keys: keys)
                keys.insert(ExactString(next))
                stack.append(.object(object, pendingKey: next, keys: keys))
                return nil
            }
            if consume(UInt8(ascii: "}")) { return .object(object) }
            throw expected("',' or '}' after an object member")
        }
    }

    /// Reads `"key" :` and leaves the position at the member's value.
    private mutating func parseKey(keys: Set<ExactString>) throws(JSONParseError) -> String {
        guard peek(UInt8(ascii: "\"")) else { throw expected("a string key") }
        let start = position
        let key = try parseString()
        if keys.contains(ExactString(key)) {
            throw JSONParseError(.duplicateKey, at: start, "duplicate key \(quoted(key)) in object")
        }
        skipWhitespace()
        guard consume(UInt8(ascii: ":")) else { throw expected("':' after an object key") }
        return key
    }

    private func checkDepth() throws(JSONParseError) {
        if stack.count >= maxDepth {
            throw error(.nestingTooDeep, "arrays and objects nested deeper than \(maxDepth) levels")
        }
    }

    // MARK: Scalars

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONParseError)
        -> JSONValue
    {
        let start = position
        for byte in word.utf8 {
            guard position < bytes.count else {
                throw error(.unexpectedEndOfInput, "unexpected end of input in literal '\(word)'")
            }
            guard bytes[position] == byte else {
                throw JSONParseError(.unexpectedCharacter, at: start, "invalid literal, expected '\(word)'")
            }
            position += 1
        }
        return value
    }

    /// Reads a number per RFC 8259: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            if position < bytes.count, isDigit(bytes[position]) {
                throw error(.invalidNumber, "leading zeros are not allowed in numbers")
            }
        } else {
            try requireDigits(after: "'-'")
        }
        if consume(UInt8(ascii: ".")) {
            try requireDigits(after: "the decimal point")
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            try requireDigits(after: "the exponent marker")
        }
        return JSONNumber(validatedText: String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func requireDigits(after what: String) throws(JSONParseError) {
        guard position < bytes.count else {
            throw error(.unexpectedEndOfInput, "unexpected end of input, expected a digit after \(what)")
        }
        guard isDigit(bytes[position]) else {
            throw error(.invalidNumber, "expected a digit after \(what), found \(describeCurrent())")
        }
        while position < bytes.count, isDigit(bytes[position]) {
            position += 1
        }
    }

    /// Reads a string starting at its opening quote, checking UTF-8 and escapes.
    private mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // the opening quote
        var result: [UInt8] = []
        var runStart = position
        while true {
            guard position < bytes.count else {
                throw error(.unexpectedEndOfInput, "unexpected end of input in a string")
            }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                result.append(contentsOf: bytes[runStart..<position])
                position += 1
                return String(decoding: result, as: UTF8.self)
            case UInt8(ascii: "\\"):
                result.append(contentsOf: bytes[runStart..<position])
                try parseEscape(into: &result)
                runStart = position
            case 0x00..<0x20:
                throw error(
                    .unescapedControlCharacter,
                    "control character U+\(hex(byte, width: 4)) must be escaped in a string")
            case 0x80...:
                try skipUTF8Sequence()
            default:
                position += 1
            }
        }
    }

    private mutating func parseEscape(into result: inout [UInt8]) throws(JSONParseError) {
        let start = position
        position += 1  // the backslash
        guard position < bytes.count else {
            throw error(.unexpectedEndOfInput, "unexpected end of input in an escape sequence")
        }
        let letter = bytes[position]
        position += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(letter)
        case UInt8(ascii: "b"): result.append(0x08)
        case UInt8(ascii: "f"): result.append(0x0C)
        case UInt8(ascii: "n"): result.append(0x0A)
        case UInt8(ascii: "r"): result.append(0x0D)
        case UInt8(ascii: "t"): result.append(0x09)
        case UInt8(ascii: "u"):
            var scalarValue = UInt32(try parseHexQuad())
            if (0xDC00...0xDFFF).contains(scalarValue) {
                throw JSONParseError(.invalidEscape, at: start, "lone low surrogate in \\u escape")
            }
            if (0xD800...0xDBFF).contains(scalarValue) {
                // A high surrogate is only meaningful followed by a low one: together one scalar.
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else {
                    throw JSONParseError(
                        .invalidEscape, at: start, "high surrogate in \\u escape without a low surrogate")
                }
                let low = UInt32(try parseHexQuad())
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONParseError(
                        .invalidEscape, at: start, "high surrogate in \\u escape without a low surrogate")
                }
                scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
            }
            // Not a surrogate, so always a valid scalar.
            let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
            UTF8.encode(scalar) { result.append($0) }
        default:
            throw JSONParseError(
                .invalidEscape, at: start, "invalid escape sequence '\\\(printable(letter))'")
        }
    }

    private mutating func parseHexQuad() throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard position < bytes.count else {
                throw error(.unexpectedEndOfInput, "unexpected end of input in a \\u escape")
            }
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw error(
                    .invalidEscape, "expected a hex digit in a \\u escape, found \(describeCurrent())")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    /// Steps over one multi-byte UTF-8 sequence, rejecting overlong forms, surrogates and values past
    /// U+10FFFF (the Unicode standard's table 3-7 of well-formed sequences).
    private mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = bytes[position]
        let continuation: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: continuation = 1
        case 0xE0: (continuation, secondRange) = (2, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: continuation = 2
        case 0xED: (continuation, secondRange) = (2, 0x80...0x9F)
        case 0xF0: (continuation, secondRange) = (3, 0x90...0xBF)
        case 0xF1...0xF3: continuation = 3
        case 0xF4: (continuation, secondRange) = (3, 0x80...0x8F)
        default: throw error(.invalidUTF8, "invalid UTF-8 byte 0x\(hex(lead, width: 2))")
        }
        let start = position
        for index in 1...continuation {
            let offset = start + index
            guard offset < bytes.count else {
                throw JSONParseError(
                    .unexpectedEndOfInput, at: offset, "unexpected end of input in UTF-8 sequence")
            }
            let range = index == 1 ? secondRange : 0x80...0xBF
            guard range.contains(bytes[offset]) else {
                throw JSONParseError(.invalidUTF8, at: start, "invalid UTF-8 sequence")
            }
        }
        position = start + continuation + 1
    }

    // MARK: Bytes

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool {
        position < bytes.count && bytes[position] == byte
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard peek(byte) else { return false }
        position += 1
        return true
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private func error(_ kind: JSONParseError.Kind, _ message: String) -> JSONParseError {
        JSONParseError(kind, at: position, message)
    }

    private func expected(_ what: String) -> JSONParseError {
        guard position < bytes.count else {
            return error(.unexpectedEndOfInput, "unexpected end of input, expected \(what)")
        }
        return error(.unexpectedCharacter, "expected \(what), found \(describeCurrent())")
    }

    /// The current byte as a message shows it: `'x'` for printable ASCII, `byte 0xC3` otherwise.
    private func describeCurrent() -> String {
        guard position < bytes.count else { return "end of input" }
        let byte = bytes[position]
        return (0x21...0x7E).contains(byte) ? "'\(printable(byte))'" : "byte 0x\(hex(byte, width: 2))"
    }

    private func printable(_ byte: UInt8) -> String {
        (0x20...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : "\\x\(hex(byte, width: 2))"
    }

    private func hex(_ byte: UInt8, width: Int) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private func quoted(_ key: String) -> String {
        key.utf8.count > 40 ? "'\(key.prefix(40))...'" : "'\(key)'"
    }
}

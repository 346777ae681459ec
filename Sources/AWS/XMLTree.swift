/// A small XML element tree (named so as not to clash with Foundation's `XMLElement` on Apple systems): what the AWS query protocol (STS) answers with, read without Foundation.
///
/// It reads the XML that AWS services write: a declaration, elements with attributes (kept only
/// as skipped text), character data with the five predefined entities and numeric references,
/// CDATA sections and comments. It is not a general XML parser (no DTDs, no namespaces beyond
/// ignoring prefixes), and it never traps: anything else is an ``XMLTree/ParseError`` with the
/// byte offset.
public struct XMLTree: Sendable, Equatable {
    /// The element's local name (a `prefix:` is dropped).
    public var name: String
    /// The character data directly inside the element, entities decoded.
    public var text: String
    /// The child elements, in order.
    public var children: [XMLTree]

    public init(name: String, text: String = "", children: [XMLTree] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// A document that is not XML as read here; never shows the document's text (which may hold
    /// credentials).
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var problem: String
        public var description: String { "not XML at byte \(offset): \(problem)" }
    }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLTree? {
        children.first { $0.name == name }
    }

    /// The element at a path of child names: `root.descendant("AssumeRoleResult", "Credentials")`.
    public func descendant(_ path: String...) -> XMLTree? {
        var element: XMLTree? = self
        for name in path { element = element?.child(name) }
        return element
    }

    /// Parses a document and returns its root element.
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> XMLTree {
        var reader = Reader(bytes: bytes)
        return try reader.document()
    }
}

private struct Reader {
    let bytes: [UInt8]
    var position = 0
    /// Deeper documents are refused rather than recursed into: a hostile answer must not exhaust the
    /// stack.
    static let maxDepth = 64

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    func fail(_ problem: String) -> XMLTree.ParseError {
        XMLTree.ParseError(offset: position, problem: problem)
    }

    mutating func document() throws(XMLTree.ParseError) -> XMLTree {
        try skipMisc()
        guard peek("<") else { throw fail("expected the root element") }
        let root = try element(depth: 0)
        try skipMisc()
        guard position == bytes.count else { throw fail("text after the root element") }
        return root
    }

    /// Whitespace, the declaration, processing instructions and comments outside the root element.
    mutating func skipMisc() throws(XMLTree.ParseError) {
        while true {
            while position < bytes.count, isSpace(bytes[position]) { position += 1 }
            if peek("<?") {
                try skip(past: "?>")
            } else if peek("<!--") {
                try skip(past: "-->")
            } else {
                return
            }
        }
    }

    mutating func element(depth: Int) throws(XMLTree.ParseError) -> XMLTree {
        guard depth < Self.maxDepth else { throw fail("elements nested deeper than \(Self.maxDepth)") }
        position += 1  // "<"
        let name = try readName()
        // Attributes are not needed by anything read here: skip them, respecting quoted values.
        var quote: UInt8?
        while position < bytes.count {
            let byte = bytes[position]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") {
                break
            }
            position += 1
        }
        if peek("/>") {
            position += 2
            return XMLTree(name: name)
        }
        guard peek(">") else { throw fail("unterminated start tag <\(name)>") }
        position += 1
        var result = XMLTree(name: name)
        var text: [UInt8] = []
        while true {
            guard position < bytes.count else { throw fail("<\(name)> is never closed") }
            if peek("</") {
                position += 2
                let closing = try readName()
                while position < bytes.count, isSpace(bytes[position]) { position += 1 }
                guard closing == name, peek(">") else { throw fail("</\(closing)> does not close <\(name)>") }
                position += 1
                result.text = String(decoding: text, as: UTF8.self)
                return result
            } else if peek("<!--") {
                try skip(past: "-->")
            } else if peek("<![CDATA[") {
                position += 9
                let start = position
                try skip(past: "]]>")
                text.append(contentsOf: bytes[start..<(position - 3)])
            } else if peek("<?") {
                try skip(past: "?>")
            } else if peek("<") {
                result.children.append(try element(depth: depth + 1))
            } else if peek("&") {
                text.append(contentsOf: try entity())
            } else {
                text.append(bytes[position])
                position += 1
            }
        }
    }

    mutating func readName() throws(XMLTree.ParseError) -> String {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") { break }
            position += 1
        }
        guard position > start else { throw fail("a tag without a name") }
        let full = bytes[start..<position]
        let local = full.lastIndex(of: UInt8(ascii: ":")).map { full[(full.index(after: $0))...] } ?? full
        return String(decoding: local, as: UTF8.self)
    }

    mutating func entity() throws(XMLTree.ParseError) -> [UInt8] {
        let start = position
        guard let end = bytes[position...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw fail("'&' without an entity")
        }
        let name = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
        position = end + 1
        switch name {
        case "lt": return Array("<".utf8)
        case "gt": return Array(">".utf8)
        case "amp": return Array("&".utf8)
        case "quot": return Array("\"".utf8)
        case "apos": return Array("'".utf8)
        default:
            let value: UInt32? =
                name.hasPrefix("#x")
                ? UInt32(name.dropFirst(2), radix: 16) : name.hasPrefix("#") ? UInt32(name.dropFirst()) : nil
            guard let value, let scalar = Unicode.Scalar(value) else {
                position = start
                throw fail("unknown entity")
            }
            return Array(String(Character(scalar)).utf8)
        }
    }

    mutating func skip(past terminator: String) throws(XMLTree.ParseError) {
        let pattern = Array(terminator.utf8)
        while position + pattern.count <= bytes.count {
            if bytes[position..<(position + pattern.count)].elementsEqual(pattern) {
                position += pattern.count
                return
            }
            position += 1
        }
        throw fail("'\(terminator)' never comes")
    }

    func peek(_ literal: String) -> Bool {
        var index = position
        for byte in literal.utf8 {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }

    func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// An INI file as the AWS shared `config` and `credentials` files use it, read by the rules of the AWS
/// SDKs' shared profile-parser tests:
/// - `[section]` headers (whitespace inside is trimmed and runs of it become one space), optionally
///   followed by a `#` or `;` comment;
/// - `key = value` lines: the key trimmed and lower-cased (keys are case-insensitive), a key with
///   whitespace inside ignored; the value trimmed, and cut at a `#` or `;` that follows whitespace (a
///   comment; `value;x` keeps its `;`);
/// - indented lines continue the previous value: appended on a new line, as written (comments
///   included); after a key with an empty value (`s3 =`) they are sub-properties, each `name = value`;
/// - blank lines, and lines whose first character is `#` or `;`, are skipped.
/// A section that appears twice merges, a later key replacing an earlier.
///
/// Parsing never traps: a line that is none of these is an ``INIParseError`` naming the file and line
/// (never the line's text, which in a credentials file may be a secret).
public struct INIFile: Sendable, Equatable {
    /// The section names in the order they first appear.
    public private(set) var sectionNames: [String] = []
    /// Each section's settings; a section that appears twice merges, a later key replacing an earlier.
    public private(set) var sections: [String: [String: String]] = [:]

    /// An empty file.
    public init() {}

    /// Parses `text`; `fileName` only goes into error messages.
    public init(parsing text: String, fileName: String) throws(INIParseError) {
        var section: String?
        /// The property indented lines continue, and whether it takes sub-properties; `ignored` for a
        /// property whose invalid name left it out (its continuations are left out too).
        var continued: (key: String, subProperties: Bool)?
        var continuesIgnored = false
        var lineNumber = 0
        // "\r\n" is one Character in Swift: split on it as well as on "\n".
        for rawLine in text.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        {
            lineNumber += 1
            let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine[...]
            let trimmed = Self.trimmed(line)
            if trimmed.isEmpty || trimmed.first == "#" || trimmed.first == ";" {
                continue
            }
            func fail(_ message: String) -> INIParseError {
                INIParseError(file: fileName, line: lineNumber, message: message)
            }
            if let first = line.first, first == " " || first == "\t" {
                guard let section else { throw fail("an indented line before any [section] header") }
                if continuesIgnored { continue }
                guard let (key, subProperties) = continued else {
                    throw fail("an indented line continues no property (expected 'key = value')")
                }
                if subProperties {
                    guard let equals = trimmed.firstIndex(of: "=") else {
                        throw fail("expected 'name = value' in the sub-properties of '\(key)'")
                    }
                    guard !Self.trimmed(trimmed[..<equals]).isEmpty else {
                        throw fail("a sub-property of '\(key)' has no name before '='")
                    }
                }
                sections[section]?[key, default: ""] += "\n" + trimmed
                continue
            }
            if trimmed.first == "[" {
                guard let close = trimmed.firstIndex(of: "]") else {
                    throw fail("section header without a closing ']'")
                }
                let after = Self.trimmed(trimmed[trimmed.index(after: close)...])
                guard after.isEmpty || after.first == "#" || after.first == ";" else {
                    throw fail("unexpected text after the section header's ']'")
                }
                let name = Self.trimmed(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
                guard !name.isEmpty else { throw fail("empty section name") }
                let words = name.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
                if sections[words] == nil {
                    sectionNames.append(words)
                    sections[words] = [:]
                }
                section = words
                continued = nil
                continuesIgnored = false
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw fail("expected '[section]', 'key = value' or a comment")
            }
            let key = Self.trimmed(trimmed[..<equals]).lowercased()
            guard !key.isEmpty else { throw fail("missing key before '='") }
            guard let section else { throw fail("setting '\(key.prefix(40))' before any [section] header") }
            // A key with whitespace inside is not a key the SDKs read: left out, with its continuations.
            if key.contains(where: { $0 == " " || $0 == "\t" }) {
                continued = nil
                continuesIgnored = true
                continue
            }
            let value = Self.withoutComment(Self.trimmed(trimmed[trimmed.index(after: equals)...]))
            sections[section]?[key] = value
            continued = (key, value.isEmpty)
            continuesIgnored = false
        }
    }

    /// `value` up to a `#` or `;` that follows whitespace (an inline comment), trimmed.
    static func withoutComment(_ value: String) -> String {
        var previous: Character = "x"
        for index in value.indices {
            let character = value[index]
            if character == "#" || character == ";", previous == " " || previous == "\t" {
                return trimmed(value[..<index])
            }
            previous = character
        }
        return value
    }

    private static func trimmed(_ text: Substring) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = text.lastIndex(where: { !isSpace($0) })!
        return String(text[start...end])
    }

    private static func trimmed(_ text: String) -> String {
        trimmed(text[...])
    }
}

/// A line of an INI file that cannot be read, as `file:line: message`.
public struct INIParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as given to the parser.
    public var file: String
    /// The 1-based line number.
    public var line: Int
    /// What is wrong with the line.
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}

/// An INI file as the AWS shared `config` and `credentials` files use it: `[section]` headers,
/// `key = value` lines, `#` and `;` comment lines, blank lines, and indented lines that continue the
/// previous value (the files' nested sub-settings, such as `s3 =` followed by indented keys).
///
/// Parsing never traps: a line that is none of these is an ``INIParseError`` naming the file and line.
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
        var lastKey: String?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine[...]
            let trimmed = Self.trimmed(line)
            if trimmed.isEmpty || trimmed.first == "#" || trimmed.first == ";" {
                continue
            }
            func fail(_ message: String) -> INIParseError {
                INIParseError(file: fileName, line: lineNumber, message: message)
            }
            if let first = line.first, first == " " || first == "\t", let section, let key = lastKey {
                let previous = sections[section]?[key] ?? ""
                sections[section]?[key] = previous + "\n" + trimmed
                continue
            }
            if trimmed.first == "[" {
                guard trimmed.last == "]" else { throw fail("section header without a closing ']'") }
                let name = Self.trimmed(trimmed.dropFirst().dropLast())
                guard !name.isEmpty else { throw fail("empty section name") }
                let words = name.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
                if sections[words] == nil {
                    sectionNames.append(words)
                    sections[words] = [:]
                }
                section = words
                lastKey = nil
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                // The line itself is not shown: in a credentials file it may be a secret.
                throw fail("expected '[section]', 'key = value' or a comment")
            }
            let key = Self.trimmed(trimmed[..<equals])
            guard !key.isEmpty else { throw fail("missing key before '='") }
            guard let section else { throw fail("setting '\(key)' before any [section] header") }
            sections[section]?[key] = Self.trimmed(trimmed[trimmed.index(after: equals)...])
            lastKey = key
        }
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

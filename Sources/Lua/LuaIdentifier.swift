/// Lua's rule for names (§3.1 of the manual): what a script can write as a global or a field.
enum LuaIdentifier {
    static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    /// Whether `name` is an identifier a host may define. `_ENV` is one syntactically, but a global
    /// of that name is never what a script's `_ENV` means, so defining it only misleads.
    static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, !isDigit(first), name != "_ENV", !keywords.contains(name) else {
            return false
        }
        return name.utf8.allSatisfy { isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "_") }
    }

    /// Whether `name` is a module name `require` can find and a script can write: identifiers joined
    /// by dots.
    static func isValidModule(_ name: String) -> Bool {
        name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isValid(String($0)) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}

/// Why a text is not JSON, and where.
///
/// `offset` counts UTF-8 bytes from the start of the input (0-based) and points at the first byte that
/// cannot be accepted: for truncated input, the end of the input.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is, for code that reacts to some of them (an unexpected end of input
    /// may just mean "read more").
    public enum Kind: Sendable, Equatable {
        case unexpectedEndOfInput
        case unexpectedCharacter
        case invalidNumber
        case invalidEscape
        case invalidUTF8
        case unescapedControlCharacter
        case duplicateKey
        case nestingTooDeep
        case trailingCharacters
    }

    /// The kind of problem.
    public let kind: Kind
    /// The byte offset of the problem in the input.
    public let offset: Int
    /// What is wrong, for a person: `expected ',' or ']' after an array element, found '}'`.
    public let message: String

    public init(_ kind: Kind, at offset: Int, _ message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

/// A number that the one number rule (``WholeNumber``) refused, with the field it was given for:
/// `option 'segments' of sentinel.migrate must be a whole number from 1 to 1000, got nan`.
public struct NumberRuleError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Where the number was given, as the user wrote it: `option 'segments' of sentinel.migrate`,
    /// `--timeout`, `read_capacity`.
    public let field: String
    /// What the field accepts: `a whole number from 1 to 1000`.
    public let expected: String
    /// The value that was given, as Lua would print it (`nan`, `inf`, `0.5`, `1e+300`), or its type
    /// name when it is not a number at all.
    public let got: String

    public init(field: String, expected: String, got: String) {
        self.field = field
        self.expected = expected
        self.got = got
    }

    public var description: String { "\(field) must be \(expected), got \(got)" }
}

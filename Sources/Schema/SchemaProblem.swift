/// One thing wrong with a schema: where (a field path with Lua's names and 1-based indexes, such as
/// `gsis[2].sort_key.type`) and what.
public struct SchemaProblem: Sendable, Equatable, CustomStringConvertible {
    /// The field path.
    public var path: String
    /// What is wrong, in words a user can act on.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

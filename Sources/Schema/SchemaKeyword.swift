/// A DynamoDB keyword such as `S`, `PAY_PER_REQUEST` or `NEW_IMAGE`, held as the text it was given.
///
/// Why not a Swift `enum`: schemas come from user input (a Lua script) and are then validated as a
/// whole, so that every problem is reported at once with its field path. An enum would force the Lua
/// layer to reject `stream = "NEW_IMAGES"` on its own, before validation, and report only that. With
/// the text kept, ``TableSchema/validate()`` says `stream: invalid stream view type 'NEW_IMAGES': ...`
/// next to every other problem. Swift code uses the static constants (`.string`, `.payPerRequest`)
/// and switches over them like enum cases, with a `default` for unknown text.
public protocol SchemaKeyword: RawRepresentable<String>, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The keywords DynamoDB accepts, in the order messages list them.
    static var allKnown: [Self] { get }

    /// A keyword from any text; ``isKnown`` tells whether DynamoDB accepts it.
    init(rawValue: String)
}

extension SchemaKeyword {
    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    public var description: String { rawValue }

    /// Whether DynamoDB accepts this keyword.
    public var isKnown: Bool { Self.allKnown.contains(self) }

    /// The accepted keywords for a message: `S, N or B`.
    static var knownList: String {
        let names = allKnown.map(\.rawValue)
        guard let last = names.last, names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }
}

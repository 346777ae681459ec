import Schema

/// A Lua schema table that cannot even be read as a `TableSchema`: a field the API does not know, or
/// a value of the wrong Lua type. Constructors raise these at the script's line; `sentinel.validate`
/// reports them with the schema's other problems.
public struct SchemaShapeProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A key that is not a field of the table it is in; `suggestion` is the closest known field.
        case unknownField(suggestion: String?)
        /// A value of the wrong type: `expected` names what is accepted, `got` Lua's type name.
        case wrongType(expected: String, got: String)
        /// A field that exists elsewhere but not in this table: `reason` says why and where it belongs.
        case misplacedField(reason: String)
    }

    /// The field path, as in `SchemaProblem` (`gsis[2].nmae`).
    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// Whether the problem is the field's name itself (unknown, or misplaced) rather than its value.
    public var isAboutTheFieldName: Bool {
        switch kind {
        case .unknownField, .misplacedField: true
        case .wrongType: false
        }
    }

    /// The problem as validation reports it: `gsis[2].nmae: unknown field (did you mean 'name'?)`.
    public var schemaProblem: SchemaProblem {
        switch kind {
        case .unknownField(let suggestion):
            SchemaProblem(path: path, message: "unknown field" + Self.hint(suggestion))
        case .wrongType(let expected, let got):
            SchemaProblem(path: path, message: "\(expected) expected, got \(got)")
        case .misplacedField(let reason):
            SchemaProblem(path: path, message: "not allowed here: " + reason)
        }
    }

    public var description: String { schemaProblem.description }

    /// The problem as a constructor raises it, in the words of Lua's own messages:
    /// `unknown option 'nmae' in sentinel.table gsis[2] (did you mean 'name'?)` or
    /// `bad field 'ttl' in sentinel.table (string expected, got number)`.
    public func message(in function: String) -> String {
        switch kind {
        case .unknownField(let suggestion):
            let (container, field) = Self.split(path)
            let place = container.isEmpty ? function : "\(function) \(container)"
            return "unknown option '\(field)' in \(place)" + Self.hint(suggestion)
        case .wrongType(let expected, let got):
            return "bad field '\(path)' in \(function) (\(expected) expected, got \(got))"
        case .misplacedField(let reason):
            return "bad field '\(path)' in \(function) (\(reason))"
        }
    }

    private static func hint(_ suggestion: String?) -> String {
        suggestion.map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// `gsis[2].nmae` -> (`gsis[2]`, `nmae`); `nmae` -> (``, `nmae`).
    private static func split(_ path: String) -> (String, String) {
        guard let dot = path.lastIndex(of: ".") else { return ("", path) }
        return (String(path[..<dot]), String(path[path.index(after: dot)...]))
    }
}

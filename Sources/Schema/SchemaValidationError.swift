/// A schema that failed validation, with every problem found.
public struct SchemaValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name of the table, as the schema gave it (possibly empty: that is one of the problems).
    public var tableName: String
    /// Every problem, in field order; never empty.
    public var problems: [SchemaProblem]

    public init(tableName: String, problems: [SchemaProblem]) {
        self.tableName = tableName
        self.problems = problems
    }

    /// The problems, one `path: message` per line: what `sentinel.validate` returns as its message.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

extension TableSchema {
    /// Throws every problem ``validate()`` finds, or returns when there are none.
    public func requireValid() throws(SchemaValidationError) {
        let problems = validate()
        if !problems.isEmpty {
            throw SchemaValidationError(tableName: name, problems: problems)
        }
    }
}

import Schema

/// Every problem of a schema read from Lua: its shape problems, then what validation finds.
enum SchemaCheck {
    /// A field that could not be read keeps its default, so validation may complain about the same
    /// field again (`name: required` after `name: string expected`): those repeats are dropped.
    static func problems(of schema: TableSchema, shapeProblems: [SchemaShapeProblem]) -> [SchemaProblem] {
        let shape = shapeProblems.map(\.schemaProblem)
        let unreadable = shapeProblems.map(\.path)
        let semantic = schema.validate().filter { problem in
            !unreadable.contains { path in
                problem.path == path || problem.path.hasPrefix(path + ".")
                    || problem.path.hasPrefix(path + "[")
            }
        }
        return shape + semantic
    }
}

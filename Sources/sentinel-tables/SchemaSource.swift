import ArgumentParser
import Schema
import SentinelScript

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the `schema` and `iam` commands get their schemas: a built-in by name, or a declarative script
/// that returns schemas. A file of the same name as a built-in wins, so `./sessions` is never hidden.
enum SchemaSource {
    case builtIn(BuiltInSchema)
    case script(String)

    /// The source `argument` names; `arguments` (the script's) are refused for a built-in.
    init(_ argument: String, arguments: [String]) throws {
        try self.init(argument)
        if case .builtIn = self, !arguments.isEmpty {
            throw ValidationError(
                "'\(argument)' is a built-in schema and takes no arguments (got '\(arguments[0])'); "
                    + "use --name to name its table")
        }
    }

    init(_ argument: String) throws {
        if access(argument, R_OK) == 0 {
            try ScriptPath.check(argument)
            self = .script(argument)
        } else if let kind = BuiltInSchema(rawValue: argument) {
            self = .builtIn(kind)
        } else {
            let kinds = BuiltInSchema.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError(
                "'\(argument)' is neither a built-in schema (\(kinds)) nor a readable script")
        }
    }

    /// The schemas, each valid; otherwise every problem is printed and the command fails. `arguments`
    /// are a script's `arg[1..]`, as `plan` passes them.
    /// The schemas, each valid: every problem is printed with its table and the command fails. With
    /// `ownRegion` (`iam --region`), what only the table's own region decides is checked too (a
    /// replica in that region, MRSC's region sets, another partition).
    func schemas(
        name: String?, arguments: [String] = [], options: ScriptOptions, ownRegion: String? = nil
    ) throws -> [TableSchema] {
        let schemas: [TableSchema]
        switch self {
        case .builtIn(let kind):
            schemas = [kind.schema(name: name)]
        case .script(let path):
            do {
                // Schemas are pure: the script gets no AWS access. What `schema` and `iam` print is read
                // by other tools (`aws dynamodb create-table --cli-input-json`): the script's own
                // output goes to standard error.
                let host = try options.host(aws: nil, output: ScriptOptions.outputToStandardError)
                schemas = try ScriptOptions.run(path, arguments: arguments, on: host).schemas()
            } catch let error as ScriptSchemas.ReadError {
                StandardError.write(ReadErrorReport.text(error, script: path))
                throw ExitCode(ExitStatus.scriptError)
            }
        }
        var failed = false
        for schema in schemas {
            let problems = schema.validate() + (ownRegion.map { schema.replicaProblems(ownRegion: $0) } ?? [])
            guard !problems.isEmpty else { continue }
            failed = true
            let label = schema.name.isEmpty ? "schema" : "table '\(schema.name)'"
            StandardError.write(problems.map { "\(label): \($0)\n" }.joined())
        }
        if failed { throw ExitCode(ExitStatus.scriptError) }
        return schemas
    }
}

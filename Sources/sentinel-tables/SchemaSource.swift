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

    init(_ argument: String) throws {
        if access(argument, R_OK) == 0 {
            self = .script(argument)
        } else if let kind = BuiltInSchema(rawValue: argument) {
            self = .builtIn(kind)
        } else {
            let kinds = BuiltInSchema.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError(
                "'\(argument)' is neither a built-in schema (\(kinds)) nor a readable script")
        }
    }

    /// The schemas, each valid; otherwise every problem is printed and the command fails.
    func schemas(name: String?, options: ScriptOptions) throws -> [TableSchema] {
        let schemas: [TableSchema]
        switch self {
        case .builtIn(let kind):
            schemas = [kind.schema(name: name)]
        case .script(let path):
            do {
                // Schemas are pure: the script gets no AWS access.
                schemas = try ScriptOptions.run(path, on: options.host(aws: nil)).schemas()
            } catch let error as ScriptSchemas.ReadError {
                StandardError.write("\(path): \(error.message)\n")
                throw ExitCode(ExitStatus.scriptError)
            }
        }
        var failed = false
        for schema in schemas {
            let problems = schema.validate()
            guard !problems.isEmpty else { continue }
            failed = true
            let label = schema.name.isEmpty ? "schema" : "table '\(schema.name)'"
            StandardError.write(problems.map { "\(label): \($0)\n" }.joined())
        }
        if failed { throw ExitCode(ExitStatus.scriptError) }
        return schemas
    }
}

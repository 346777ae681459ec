import ArgumentParser
import Schema
import SentinelScript

/// Runs a declarative script and takes the schemas it returns, for `plan` and `apply`.
enum ScriptSchemaLoader {
    static func schemas(
        _ script: String, arguments: [String], options: ScriptOptions, host: ScriptHost
    ) throws -> [TableSchema] {
        do {
            return try ScriptOptions.run(script, arguments: arguments, on: host).schemas()
        } catch let error as ScriptSchemas.ReadError {
            StandardError.write(ReadErrorReport.text(error, script: script))
            throw ExitCode(ExitStatus.scriptError)
        }
    }
}

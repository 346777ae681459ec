import ArgumentParser
import Provisioning
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

    /// Stops the command before any request when a schema breaks its own rules (a field's value, a
    /// GSI added with `add_gsi` that repeats an attribute, two schemas naming one table): every such
    /// problem is found without AWS, so none is reported after the caller line as a failed table.
    static func requireValid(_ schemas: [TableSchema]) throws {
        let problems = Provisioner.offlinePlan(schemas).compactMap { result -> ProvisioningError? in
            if case .failure(let error) = result { return error }
            return nil
        }
        guard !problems.isEmpty else { return }
        for problem in problems { StandardError.write("! \(problem)\n") }
        StandardError.write("nothing was sent to AWS\n")
        throw ExitCode(ExitStatus.scriptError)
    }
}

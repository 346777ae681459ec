import ArgumentParser
import Provisioning
import Schema
import SentinelScript

/// `import --create-from SCRIPT`: the table to import into, made from a schema script first when it is
/// missing, exactly as `apply SCRIPT` would make it (plan and results on stderr, waiting until ACTIVE).
/// A table that exists is imported into as it is when its keys are the schema's: import writes items,
/// and converging the table's other settings is apply's job, not a side effect of loading data.
struct ImportTableCreation {
    let script: String
    let arguments: [String]
    let table: String
    /// The AWS options as typed, for the plan's hints (`sentinel-tables migrate SCRIPT ... --region R`).
    let given: [String]

    /// The schema SCRIPT returns for the table; refuses, naming what it returns, when there is none.
    func schema(options: ScriptOptions, host: ScriptHost) throws -> TableSchema {
        let schemas = try ScriptSchemaLoader.schemas(
            script, arguments: arguments, options: options, host: host)
        guard let schema = schemas.first(where: { $0.name == table }) else {
            let names =
                schemas.isEmpty ? "no schemas" : schemas.map { "'\($0.name)'" }.joined(separator: ", ")
            StandardError.write(
                "sentinel-tables: --create-from \(script) returns no schema for table '\(table)' (it returns "
                    + "\(names)); nothing was created or written\n")
            throw ExitCode(ExitStatus.scriptError)
        }
        try ScriptSchemaLoader.requireValid([schema])
        return schema
    }

    /// Creates the table from `schema` when it does not exist; checks its keys when it does.
    func ensureTable(_ schema: TableSchema, provisioner: Provisioner) throws {
        let read = AsyncWork.wait { () async -> Result<LiveTable?, ProvisioningError> in
            do throws(ProvisioningError) {
                return .success(try await provisioner.read(schema.name, settings: .neverRefused))
            } catch {
                return .failure(error)
            }
        }
        if Interrupts.wasInterrupted {
            StandardError.write("import interrupted: nothing was created or written\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        switch read {
        case .failure(let error):
            StandardError.write("sentinel-tables: \(error); nothing was created or written\n")
            throw ExitCode(ExitStatus.scriptError)
        case .success(let live?):
            try requireSameKeys(live, schema)
        case .success(nil):
            try create(schema, provisioner: provisioner)
        }
    }

    /// Items are checked against the live table's keys before any is written, so a table whose keys
    /// are not the schema's would take the file as well or refuse it line by line; either way the user
    /// named a script whose schema is not this table's, and hears so before anything is written.
    private func requireSameKeys(_ live: LiveTable, _ schema: TableSchema) throws {
        guard live.partitionKey == schema.partitionKey, live.sortKey == schema.sortKey else {
            StandardError.write(
                "sentinel-tables: table '\(table)' exists with keys \(Self.keys(live.partitionKey, live.sortKey)), "
                    + "but \(script)'s schema for it has \(Self.keys(schema.partitionKey, schema.sortKey)); "
                    + "nothing was written (import into it without --create-from, or name a script whose "
                    + "schema matches)\n")
            throw ExitCode(ExitStatus.scriptError)
        }
        StandardError.write(
            "\(table): exists, with the keys of \(script)'s schema; importing into it as it is "
                + "(`sentinel-tables apply \(([script] + arguments).joined(separator: " "))` converges its other "
                + "settings)\n")
    }

    /// What `apply SCRIPT` does for this one table, its plan and results on stderr (import's stdout
    /// stays free for nothing but what it reports there).
    private func create(_ schema: TableSchema, provisioner: Provisioner) throws {
        let plans = AsyncWork.wait { await provisioner.plan([schema]) }
        if Interrupts.wasInterrupted {
            StandardError.write("import interrupted while planning: nothing was created or written\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        try AWSFailure.stopIfEveryTableFailedAlike(plans)
        StandardError.write(PlanReport.text(plans, script: [script] + arguments + given))
        let results = AsyncWork.wait { await provisioner.apply([schema]) }
        StandardError.write(ApplyReport.text(results))
        if Interrupts.wasInterrupted || results.contains(where: \.wasInterrupted) {
            StandardError.write("import interrupted while creating '\(table)': nothing was written\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        if results.contains(where: { $0.status == ApplyResult.Status.failed }) {
            StandardError.write(
                "sentinel-tables: '\(table)' could not be created as \(script) says; nothing was written\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }

    private static func keys(_ partition: KeyAttribute, _ sort: KeyAttribute?) -> String {
        "partition key \(partition.name) (\(partition.type.rawValue))"
            + (sort.map { ", sort key \($0.name) (\($0.type.rawValue))" } ?? " and no sort key")
    }
}

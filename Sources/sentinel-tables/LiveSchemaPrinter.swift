import ArgumentParser
import JSON
import Provisioning
import Schema
import SentinelScript

/// `schema --from-table`: reads live tables and prints the schema that reproduces each, in the format
/// asked for. A missing table or one that cannot be read is reported on stderr and makes the exit
/// status 1; nothing is printed then, so a redirected script is never missing a table. Parts of a table
/// the model cannot represent are named on stderr.
///
/// With `--target NAME`, the tables are read through that target of the targets file, and each replica in
/// another account names the one target of the file for its account (DynamoDB knows the account only).
struct LiveSchemaPrinter {
    let aws: AWSOptions
    let targets: TargetOptions

    func print(_ names: [String], format: SchemaCommand.Format) throws {
        var results: [Result<LiveTable?, ProvisioningError>]
        var replicaTargets: (any AccountReplicaConnections)?
        if targets.areChosen {
            (results, replicaTargets) = try readThroughTarget(names)
        } else {
            results = try LiveTableReads.read(names, aws: aws, command: "schema")
        }
        var tables: [LiveTable] = []
        for (name, result) in zip(names, results) {
            switch result {
            case .success(let live?): tables.append(live)
            case .success(nil): StandardError.write("table '\(name)' does not exist\n")
            case .failure(let error): StandardError.write("\(error)\n")
            }
        }
        guard tables.count == names.count else { throw ExitCode(ExitStatus.scriptError) }
        // What the schema cannot say is named, not dropped: the script printed cannot reproduce it, and
        // a plan of it against this table stays blocked on it (docs/architecture.md, "Unknown shapes").
        for table in tables {
            for field in table.unmanaged {
                StandardError.write("table '\(table.name)': not managed, left out of the schema: \(field)\n")
            }
        }
        let schemas = tables.map { replicaTargets?.naming($0.schema) ?? $0.schema }
        // A replica the targets file gives no single target for is written without one: said, so that
        // the plan's "target is required" is not the first the user hears of it.
        if replicaTargets != nil {
            for schema in schemas {
                for replica in schema.replicas where replica.account != nil && replica.target == nil {
                    StandardError.write(
                        "table '\(schema.name)': the replica in \(replica.region), account \(replica.account ?? "")"
                            + ", has no target: no single target of \(targets.path) has that account; add "
                            + "target = NAME before applying\n")
                }
            }
        }
        switch format {
        case .lua:
            Swift.print(
                LuaAdoptionScript.script(
                    for: zip(tables, schemas).map { .init(schema: $1, kmsKeyARN: $0.customerKeyCandidate) }),
                terminator: "")
        case .json:
            Swift.print(SchemaCommand.json(schemas.map { $0.schemaDocument() }))
        case .createTable:
            Swift.print(SchemaCommand.json(schemas.map { $0.createTableRequest() }))
            ReplicaUpdateNote.write(for: schemas)
        }
    }

    /// Reads `names` through the one target chosen (read-only, its account guard checked first), and
    /// the targets of the file to name account replicas' targets by.
    private func readThroughTarget(_ names: [String]) throws -> (
        [Result<LiveTable?, ProvisioningError>], any AccountReplicaConnections
    ) {
        let (chosen, all) = try targets.loaded(limits: TargetFleet.fileLimits)
        guard chosen.count == 1 else {
            throw ValidationError("schema --from-table reads through one target: name it with --target NAME")
        }
        let options = aws.readOnlyOptions(for: "schema")
        let fleet = try TargetFleet.make(targets, configuration: ScriptHostConfiguration(aws: options))
        let runs = TargetFleet.using(fleet) { AsyncWork.wait { await fleet.status(names) } }
        guard let run = runs.first else { throw ExitCode(ExitStatus.scriptError) }
        switch run.outcome {
        case .success(let results):
            return (results, TargetReplicaConnections(targets: all, base: options))
        case .failure(let failure):
            StandardError.write("target '\(run.target.name)': \(failure)\n")
            throw ExitCode(TargetFleet.status(of: failure))
        }
    }
}

import ArgumentParser
import JSON
import Provisioning
import Schema
import SentinelScript

/// `schema --from-table`: reads live tables and prints the schema that reproduces each, in the format
/// asked for. A missing table or one that cannot be read is reported on stderr and makes the exit
/// status 1; nothing is printed then, so a redirected script is never missing a table. Parts of a table
/// the model cannot represent are named on stderr.
struct LiveSchemaPrinter {
    let aws: AWSOptions

    func print(_ names: [String], format: SchemaCommand.Format) throws {
        let results = try LiveTableReads.read(names, aws: aws, command: "schema")
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
        switch format {
        case .lua:
            Swift.print(
                LuaAdoptionScript.script(
                    for: tables.map { .init(schema: $0.schema, kmsKeyARN: $0.customerKeyCandidate) }),
                terminator: "")
        case .json:
            Swift.print(SchemaCommand.json(tables.map { $0.schema.schemaDocument() }))
        case .createTable:
            Swift.print(SchemaCommand.json(tables.map { $0.schema.createTableRequest() }))
            ReplicaUpdateNote.write(for: tables.map(\.schema))
        }
    }
}

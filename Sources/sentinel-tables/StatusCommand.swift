import ArgumentParser
import JSON
import Provisioning
import Schema

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the live state of tables (default: Sentinel's three tables).",
        discussion:
            "A table that does not exist shows as NOT_FOUND. Exit status 1 when a table cannot be read."
    )

    @Argument(
        help: "Table names.", completion: .custom(TableNameCompletion.candidates))
    var tables: [String] = []

    @Flag(help: "Print the state as JSON.")
    var json = false

    @OptionGroup var aws: AWSOptions
    @OptionGroup var targets: TargetOptions

    func run() throws {
        let names = tables.isEmpty ? BuiltInSchema.allCases.map(\.defaultTableName) : tables
        if targets.areChosen { return try statusOfTargets(names) }
        let results = try LiveTableReads.read(names, aws: aws, command: "status")
        var failed = false
        var documents: [JSONValue] = []
        for (name, result) in zip(names, results) {
            switch result {
            case .success(let live):
                if json {
                    documents.append(StatusReport.json(name: name, live))
                } else {
                    print(StatusReport.text(name: name, live))
                }
            case .failure(let error):
                failed = true
                StandardError.write("\(error)\n")
                if json { documents.append(["table": .string(name), "error": .string(error.description)]) }
            }
        }
        if json { print(JSONWriter(style: .pretty).string(from: ["tables": .array(documents)])) }
        if failed { throw ExitCode(ExitStatus.scriptError) }
    }
}

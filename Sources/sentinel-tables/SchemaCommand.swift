import ArgumentParser
import JSON
import Provisioning
import Schema
import SentinelScript

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a built-in Sentinel schema, the schemas a script returns, or those of live tables.",
        discussion: """
            `create-table` prints the CreateTable request (for `aws dynamodb create-table --cli-input-json`), \
            `json` the whole schema with TTL and point-in-time recovery, `lua` a script to start from. \
            Several schemas print as a JSON array (or a Lua list). Invalid schemas are not printed: every \
            problem is listed on stderr with its field path and the exit status is 1. \
            --from-table reads live tables (--all-sentinel: Sentinel's three, named with --suffix) and \
            prints the schema that reproduces each, as Lua by default: written on the built-in Sentinel \
            schema a table matches, with its differences as edits; its plan against the table is empty.
            """
    )

    /// `schema --from-table --all-sentinel`, as the help says it works: ArgumentParser wants at least
    /// one value after `--from-table`, so a bare `--from-table` next to `--all-sentinel` (which names the
    /// tables) is dropped before parsing.
    static func allowingBareFromTable(_ arguments: [String]) -> [String] {
        guard arguments.first == "schema", arguments.contains("--all-sentinel") else { return arguments }
        var kept: [String] = []
        for (index, argument) in arguments.enumerated() {
            let next = index + 1 < arguments.count ? arguments[index + 1] : nil
            if argument == "--from-table", next == nil || next!.hasPrefix("-") { continue }
            kept.append(argument)
        }
        return kept
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case createTable = "create-table"
        case json
        case lua
    }

    @Argument(help: "approvals, breakglass, sessions, or a Lua script that returns schemas.")
    var source: String?

    @Argument(help: "Arguments passed to the script (after `--` when they start with a dash).")
    var arguments: [String] = []

    @Option(help: "The table name, for a built-in schema.")
    var name: String?

    @Option(help: "create-table, json or lua (default: create-table; lua with --from-table).")
    var format: Format?

    @Option(
        name: .customLong("from-table"), parsing: .upToNextOption,
        help: "Live tables to read and print the schema of (repeatable; several names may follow).")
    var fromTables: [String] = []

    @Flag(help: "With --from-table or alone: Sentinel's three tables by their default names.")
    var allSentinel = false

    @Option(help: "With --all-sentinel: tables named NAME-SUFFIX (sentinel-sessions-dev for --suffix dev).")
    var suffix: String?

    @OptionGroup var aws: AWSOptions
    @OptionGroup var targets: TargetOptions
    @OptionGroup var scriptOptions: ScriptOptions

    func run() throws {
        if !fromTables.isEmpty || allSentinel {
            if let source {
                throw ValidationError(
                    "'\(source)': --from-table reads live tables and takes no schema source")
            }
            if name != nil { throw ValidationError("--name applies to built-in schemas, not --from-table") }
            if suffix != nil, !allSentinel { throw ValidationError("--suffix applies with --all-sentinel") }
            let names =
                fromTables
                + (allSentinel
                    ? BuiltInSchema.allCases.map { $0.defaultTableName + (suffix.map { "-" + $0 } ?? "") }
                    : [])
            return try LiveSchemaPrinter(aws: aws, targets: targets).print(names, format: format ?? .lua)
        }
        if targets.areChosen { throw ValidationError("--target applies to --from-table") }
        if suffix != nil { throw ValidationError("--suffix applies with --all-sentinel") }
        guard let argument = source else {
            throw ValidationError("give a built-in schema, a script, --from-table NAME or --all-sentinel")
        }
        let format = format ?? .createTable
        // Checked here rather than in validate(), which ArgumentParser runs before it reports an
        // unknown option (see ScriptPath).
        let source = try SchemaSource(argument, arguments: arguments)
        if name != nil, case .script = source {
            throw ValidationError("--name applies to built-in schemas; a script names its own tables")
        }
        let schemas = try source.schemas(name: name, arguments: arguments, options: scriptOptions)
        switch format {
        case .lua:
            // Written as --from-table writes live tables: a schema that is one of Sentinel's built-ins
            // is `sentinel.schema.KIND { name = ... }` plus the differences, so that the script starts
            // from the built-in it customises rather than from every setting spelt out.
            print(LuaAdoptionScript.script(for: schemas.map { .init(schema: $0) }), terminator: "")
        case .createTable:
            print(Self.json(schemas.map { $0.createTableRequest() }))
            ReplicaUpdateNote.write(for: schemas)
        case .json:
            print(Self.json(schemas.map { $0.schemaDocument() }))
        }
    }

    /// One document as it is, several as an array.
    static func json(_ documents: [JSONValue]) -> String {
        JSONWriter(style: .pretty).string(from: documents.count == 1 ? documents[0] : .array(documents))
    }
}

import ArgumentParser
import JSON
import Schema
import SentinelScript

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a built-in Sentinel schema, or the schemas a script returns.",
        discussion: """
            `create-table` prints the CreateTable request (for `aws dynamodb create-table --cli-input-json`), \
            `json` the whole schema with TTL and point-in-time recovery, `lua` a script to start from. \
            Several schemas print as a JSON array (or a Lua list). Invalid schemas are not printed: every \
            problem is listed on stderr with its field path and the exit status is 1.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case createTable = "create-table"
        case json
        case lua
    }

    @Argument(help: "approvals, breakglass, sessions, or a Lua script that returns schemas.")
    var source: String

    @Argument(help: "Arguments passed to the script (after `--` when they start with a dash).")
    var arguments: [String] = []

    @Option(help: "The table name, for a built-in schema.")
    var name: String?

    @Option(help: "create-table, json or lua.")
    var format: Format = .createTable

    @OptionGroup var scriptOptions: ScriptOptions

    func run() throws {
        // Checked here rather than in validate(), which ArgumentParser runs before it reports an
        // unknown option (see ScriptPath).
        let source = try SchemaSource(source, arguments: arguments)
        if name != nil, case .script = source {
            throw ValidationError("--name applies to built-in schemas; a script names its own tables")
        }
        let schemas = try source.schemas(name: name, arguments: arguments, options: scriptOptions)
        switch format {
        case .lua:
            print(LuaSchemaSource.script(returning: schemas), terminator: "")
        case .createTable:
            print(Self.json(schemas.map { $0.createTableRequest() }))
        case .json:
            print(Self.json(schemas.map { $0.schemaDocument() }))
        }
    }

    /// One document as it is, several as an array.
    static func json(_ documents: [JSONValue]) -> String {
        JSONWriter(style: .pretty).string(from: documents.count == 1 ? documents[0] : .array(documents))
    }
}

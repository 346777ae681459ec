import ArgumentParser
import Schema

struct IAMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iam",
        abstract: "Print the IAM policy that provisioning and using the tables needs.",
        discussion: """
            The policy has Sentinel's provisioning and operations statements, the actions this tool's \
            provisioner also needs, the tool's own administrative actions (DeleteTable on the tables, \
            ListTables on `*`; --no-admin leaves them out) and a KMS statement for tables with a customer \
            key. ARNs use the region's partition; a missing region or account is `*`.
            """
    )

    @Option(help: "A built-in schema: approvals, breakglass or sessions.")
    var schema: String?

    @Option(help: "The table name, with --schema or a built-in schema's name.")
    var name: String?

    @Argument(help: "A Lua script that returns schemas (instead of --schema).")
    var script: String?

    @Argument(help: "Arguments passed to the script (after `--` when they start with a dash).")
    var arguments: [String] = []

    @Flag(
        name: .customLong("no-admin"),
        help: "Leave out the tool's own administrative actions (DeleteTable, ListTables).")
    var noAdministration = false

    @Option(help: "The region the tables live in (sets the ARN partition).")
    var region: String?

    @Option(help: "The AWS account id that owns the tables.")
    var account: String?

    @OptionGroup var scriptOptions: ScriptOptions

    func validate() throws {
        switch (schema, script) {
        case (nil, nil): throw ValidationError("give --schema KIND or a SCRIPT")
        case (.some, .some): throw ValidationError("give --schema KIND or a SCRIPT, not both")
        default: break
        }
        if script == nil, !arguments.isEmpty {
            throw ValidationError("script arguments need a SCRIPT")
        }
        if let schema, BuiltInSchema(rawValue: schema) == nil {
            let kinds = BuiltInSchema.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--schema must be one of \(kinds), not '\(schema)'")
        }
        if let problem = ARNScope.problems(region: region, accountID: account).first {
            throw ValidationError("--\(problem.path): \(problem.message)")
        }
    }

    func run() throws {
        let source: SchemaSource
        if let script {
            source = try SchemaSource(script)
        } else if let kind = schema.flatMap(BuiltInSchema.init(rawValue:)) {
            source = .builtIn(kind)
        } else {
            throw ValidationError("give --schema KIND or a SCRIPT")
        }
        // Checked here, not in validate(): SCRIPT may name a built-in (`iam sessions --name t`).
        if name != nil, case .script = source {
            throw ValidationError("--name applies to built-in schemas; a script names its own tables")
        }
        let tables = try source.schemas(
            name: name, arguments: arguments, options: scriptOptions, ownRegion: region)
        let policy = IAMPolicy(
            tables: tables, region: region, accountID: account, administration: !noAdministration)
        print(SchemaCommand.json([policy.document]))
    }
}

import ArgumentParser
import DynamoDB
import Provisioning
import SentinelScript

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a table into a new table with the script's key schema; the old table is only read.",
        discussion: """
            The script's schema for --table, renamed --to, is created as apply creates it (waiting \
            until ACTIVE); then every item of --table is copied with a parallel scan and batch writes. \
            If the script defines a global function migrate(item), each item passes through it: it \
            returns the new item, or nil to leave the item out; an error stops the migration naming \
            the item's key. The copy is then read back (item counts, and a sample of the items, every \
            one with --verify all). Positions are saved per segment in --checkpoint-dir: after an \
            interruption, run the same command with --resume. Exit status 0 when every item was \
            copied and verified, 1 on an error or a failed verification, 130 when interrupted.

            With --via s3://BUCKET/PREFIX the copy is DynamoDB's own instead, for tables beyond one \
            machine: ExportTableToPointInTime of --table to the bucket (point-in-time recovery must be \
            on), then ImportTable of the export's data files creating --to with the schema's keys, \
            GSIs, billing and encryption, then the schema's other settings as apply sets them, then \
            the same read-back. It uses neither table's capacity; items are copied as they are, so a \
            script that defines migrate(item) is refused, and so is a schema with local secondary \
            indexes (ImportTable cannot create them).
            """
    )

    @Argument(help: "A Lua script that returns schemas, one of them for --table (its new key schema).")
    var script: String

    @Argument(help: "Arguments passed to the script (after `--` when they start with a dash).")
    var arguments: [String] = []

    @Option(help: "The table to migrate (only read).")
    var table: String

    @Option(help: "The name of the new table, which migrate creates.")
    var to: String

    @Flag(help: "Migrate without asking.")
    var yes = false

    @Flag(help: "Go on with an interrupted migration from its saved positions.")
    var resume = false

    // Unconditional parsing: `--segments -5` is a bad value to report as such, not a missing one.
    @Option(
        parsing: .unconditional,
        help: "Read with a parallel scan of this many segments (1 to 1000; at most 8 run at once).",
        transform: OptionRange.wholeNumber("--segments", in: 1...1000))
    var segments = 4

    @Option(
        parsing: .unconditional,
        help:
            "Items per Scan page, the read-back's too (default: DynamoDB's 1 MB pages); positions are saved after each page.",
        // DynamoDB's Limit is a 32-bit integer.
        transform: OptionRange.wholeNumber("--page-size", in: 1...Int(Int32.max))
    )
    var pageSize: Int?

    @Option(help: "Read back a sample of the items (about 1000) or all of them.")
    var verify: TableMigration.Verification = .sample

    @Option(help: "Where the positions of an interrupted migration are saved.")
    var checkpointDir = "."

    @Option(
        help: ArgumentHelp(
            "Copy with DynamoDB's export to S3 and ImportTable through this bucket and prefix.",
            valueName: "s3://BUCKET/PREFIX"))
    var via: String?

    @Option(
        parsing: .unconditional,
        help:
            "Give up waiting for the new table (with --via, for the export and the import) after this many seconds."
    )
    var waitTimeout: Double = 3600

    @OptionGroup var capacity: CapacityOptions
    @OptionGroup var aws: AWSOptions
    @OptionGroup var scriptOptions: ScriptOptions

    func validate() throws {
        guard table != to else { throw ValidationError("--to must name a new table, not --table's") }
        if let via {
            do throws(S3LocationError) {
                _ = try S3Location(parsing: via)
            } catch {
                throw ValidationError("--via \(error)")
            }
            if capacity.isSet {
                throw ValidationError(
                    "--max-rcu, --max-wcu and --max-capacity-percent are for the copy through this machine; "
                        + "with --via DynamoDB's export and import use no table capacity")
            }
            if resume || pageSize != nil {
                throw ValidationError(
                    "--resume and --page-size are for the copy through this machine; with --via DynamoDB "
                        + "exports and imports the table itself")
            }
        }
        try OptionRange.checkSeconds(waitTimeout, option: "--wait-timeout")
    }

    func run() throws {
        try ScriptPath.check(script)
        let waitPolicy = WaitPolicy(
            timeout: try OptionRange.duration(waitTimeout, option: "--wait-timeout") ?? .seconds(3600))
        let host = try scriptOptions.host(
            aws: aws.options, waitPolicy: waitPolicy, events: ProgressLog().handle)
        defer { host.shutdownAndWait() }
        let schemas = try ScriptSchemaLoader.schemas(
            script, arguments: arguments, options: scriptOptions, host: host)
        guard var schema = schemas.first(where: { $0.name == table }) else {
            StandardError.write(
                "sentinel-tables: \(script) returns no schema for table \(table) (it returns: "
                    + "\(schemas.map(\.name).joined(separator: ", ")))\n")
            throw ExitCode(ExitStatus.scriptError)
        }
        schema.name = to
        try AWSFailure.announceCaller(try AWSFailure.client(host.tables), command: "migrate")
        let location = try via.map { text throws(S3LocationError) in try S3Location(parsing: text) }
        if !yes {
            let engine = location.map { " through \($0) (DynamoDB's export and import)" } ?? ""
            try Confirmation.require(
                "Create \(to) with \(script)'s schema for \(table) and copy every item of \(table) into it"
                    + "\(engine)?",
                refusal: "migrate")
        }
        let progress = TransferProgress(verb: "\(table) → \(to): \(location == nil ? "copied" : "imported")")
        // --max-capacity-percent takes its share of the source's reads (the new table's writes take
        // --max-wcu).
        let client = try AWSFailure.client(host.tables)
        let (capacity, source) = (capacity, table)
        let budgetResult = AsyncWork.wait { () async -> Result<CapacityBudget?, DynamoDBError> in
            do throws(DynamoDBError) {
                return .success(
                    try await capacity.budget(
                        client: client, table: source, read: true, write: true,
                        percentOfWrites: false, onWait: progress.capacityWaitStarted))
            } catch {
                return .failure(error)
            }
        }
        let budget: CapacityBudget?
        switch budgetResult {
        case .success(let made): budget = made
        case .failure(let error):
            StandardError.write("sentinel-tables: \(error)\n\(table) was not changed\n")
            throw ExitCode(Interrupts.wasInterrupted ? ExitStatus.interrupted : ExitStatus.scriptError)
        }
        progress.show(budget)
        let handle = host.interruptHandle
        let stop: @Sendable () -> Void = { handle.interrupt() }
        let outcome = try Interrupts.routing(to: stop) {
            let update: @Sendable (Int, Int?) -> Void = { copied, estimated in
                progress.update(done: copied, total: estimated, estimated: true)
            }
            if let location {
                return try host.migrateThroughS3(
                    from: table, to: schema, via: location, segments: segments, verification: verify,
                    progress: update)
            }
            return try host.migrate(
                from: table, to: schema, segments: segments, pageSize: pageSize,
                checkpointDirectory: checkpointDir, resume: resume, verification: verify, capacity: budget,
                progress: update)
        }
        progress.finish()
        switch outcome {
        case .success(let report):
            print(MigrationReport.text(report), terminator: "")
            StandardError.write(progress.budgetReport(table: table))
            if !report.verification.isComplete { throw ExitCode(ExitStatus.scriptError) }
        case .failure(let failure):
            if Interrupts.wasInterrupted, case .copy(let error) = failure {
                // As import and export say it: the Ctrl-C, then how far it got, not the request it cancelled.
                StandardError.write("migrate interrupted: \(error.position(resumeWith: "--resume"))\n")
                StandardError.write("\(table) was not changed\n")
                throw ExitCode(ExitStatus.interrupted)
            }
            let message =
                if case .copy(let error) = failure { error.message(resumeWith: "--resume") } else {
                    "\(failure)"
                }
            StandardError.write("sentinel-tables: \(message)\n")
            StandardError.write("\(table) was not changed\n")
            throw ExitCode(Interrupts.wasInterrupted ? ExitStatus.interrupted : ExitStatus.scriptError)
        }
    }
}

extension TableMigration.Verification: ExpressibleByArgument {}

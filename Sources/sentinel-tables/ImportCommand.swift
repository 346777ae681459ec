import ArgumentParser
import DynamoDB
import ItemFiles

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write the items of files (as export writes them) into a table.",
        discussion: """
            Reads DynamoDB JSON lines ({"Item": {...}}, the format of export and of DynamoDB's own \
            exports to S3) or, with --format json, plain JSON lines. Files may be gzip-compressed; a \
            directory stands for its files ending in .json, .jsonl, .ndjson or .gz, in any case (for a \
            DynamoDB export folder, its data/ folder), and names the files it does not read. Every \
            line is checked first, as DynamoDB will check it (key attributes against the table's, \
            numbers, sets, item size), so a bad line is named by file and line before anything is \
            written. Items are then written \
            25 per BatchWriteItem in file order; an item replaces any item with its key, and of two \
            lines with one key the later wins. If writing stops (an error, Ctrl-C), the position is \
            saved next to the first FILE and --resume goes on from there. With --create-from SCRIPT, \
            a missing TABLE is first created from SCRIPT's schema for it, as apply creates it (plan and \
            results on stderr, waiting until ACTIVE); an existing TABLE must have that schema's keys and \
            is otherwise left as it is. Exit status 1 when the input is refused or writing stops, 130 \
            on Ctrl-C.
            """
    )

    @Argument(help: "The table to write into.")
    var table: String

    @Argument(help: "Files or directories of items.")
    var files: [String]

    @Option(help: "The line format: DynamoDB JSON (DynamoDB's export format) or plain JSON.")
    var format: ItemFileFormat = .dynamoDBJSON

    @Flag(help: "Go on from where an interrupted import of the same files into the same table stopped.")
    var resume = false

    @Option(
        help: ArgumentHelp(
            "Create TABLE first, when it does not exist, from this schema script's schema for it (as apply would).",
            valueName: "SCRIPT"))
    var createFrom: String?

    @Option(
        help: ArgumentHelp(
            "An argument passed to the --create-from script (repeatable: arg[1], arg[2], ...).",
            valueName: "ARG"))
    var scriptArg: [String] = []

    @OptionGroup var capacity: CapacityOptions
    @OptionGroup var aws: AWSOptions
    @OptionGroup var scriptOptions: ScriptOptions

    func validate() throws {
        try capacity.requireUsed(read: false, write: true, command: "import")
        guard !files.isEmpty else { throw ValidationError("Missing expected argument '<files> ...'") }
        if createFrom == nil, !scriptArg.isEmpty {
            throw ValidationError(
                "--script-arg is for the --create-from script, and no --create-from was given")
        }
    }

    func run() throws {
        guard let createFrom else {
            let connection = aws.connection()
            defer { connection.shutdownAndWait() }
            let client = try AWSFailure.client(connection)
            try AWSFailure.announceCaller(client, command: "import")
            return try importItems(client)
        }
        do {
            try ScriptPath.check(createFrom)
        } catch let error as ValidationError {
            throw ValidationError("--create-from: \(error.message)")
        }
        let creation = ImportTableCreation(
            script: createFrom, arguments: scriptArg, table: table, given: aws.given)
        // One client for the script, the table's creation and the import: one caller line, one account check.
        let host = try scriptOptions.host(
            aws: aws.options, events: ProgressLog().handle, output: ScriptOptions.outputToStandardError,
            announce: ScriptOptions.callerLine)
        defer { host.shutdownAndWait() }
        let schema = try creation.schema(options: scriptOptions, host: host)
        let client = try AWSFailure.client(host.tables)
        try AWSFailure.announceCaller(client, command: "import")
        try creation.ensureTable(schema, provisioner: try AWSFailure.provisioner(host.tables))
        try importItems(client)
    }

    private func importItems(_ client: DynamoDBClient) throws {
        let progress = TransferProgress(verb: "\(table): imported")
        let (table, files, format, resume, capacity) = (table, files, format, resume, capacity)
        let outcome = AsyncWork.wait { () async -> Result<ImportSummary, ItemImportError> in
            do throws(ItemImportError) {
                let budget: CapacityBudget?
                do throws(DynamoDBError) {
                    budget = try await capacity.budget(
                        client: client, table: table, read: false, write: true,
                        onWait: progress.capacityWaitStarted)
                } catch {
                    throw ItemImportError(cause: error, written: 0, total: nil, checkpointPath: nil)
                }
                progress.show(budget)
                return .success(
                    try await client.importItems(
                        tableName: table, from: files, format: format, resume: resume, capacity: budget
                    ) {
                        written, total in progress.update(done: written, total: total, estimated: false)
                    })
            } catch {
                return .failure(error)
            }
        }
        progress.finish()
        switch outcome {
        case .success(let summary):
            if let ignored = summary.ignoredCheckpoint {
                StandardError.write(
                    "\(table): started from the first item; an earlier import had written \(ignored) "
                        + "(--resume would have gone on from there)\n")
            }
            if !summary.leftOut.isEmpty {
                StandardError.write(
                    "\(table): not read (symbolic links, hidden entries and what is not a regular file): "
                        + summary.leftOut.joined(separator: ", ") + "\n")
            }
            if !summary.notItemFiles.isEmpty {
                let endings = DynamoDBClient.itemFileEndings.joined(separator: ", ")
                StandardError.write(
                    "\(table): not read (names not ending in \(endings)): "
                        + summary.notItemFiles.joined(separator: ", ") + "\n")
            }
            var line = "\(table): imported \(summary.written) items from \(summary.files.count) file(s)"
            if summary.skipped > 0 { line += " (\(summary.skipped) written before, by the run resumed)" }
            StandardError.write(line + "\n")
            StandardError.write(progress.budgetReport(table: table))
        case .failure(let error) where Interrupts.wasInterrupted:
            StandardError.write("import interrupted: \(error.position(resumeWith: "--resume"))\n")
            throw ExitCode(ExitStatus.interrupted)
        case .failure(let error):
            if case .service(let failure) = error.cause, failure.code == "ResourceNotFoundException",
                failure.operation == "DescribeTable"
            {
                // Not DynamoDB's words alone: import writes into a table, and says how to make one.
                StandardError.write(
                    "sentinel-tables: table '\(table)' does not exist; import writes into an existing table. "
                        + "Add --create-from SCRIPT to create it first as apply would, or create it with "
                        + "`sentinel-tables apply SCRIPT`, SCRIPT returning its schema "
                        + "(for Sentinel's sessions: return sentinel.schema.sessions { name = \"\(table)\" }); "
                        + "nothing was written\n")
                throw ExitCode(ExitStatus.scriptError)
            }
            StandardError.write("sentinel-tables: \(error.message(resumeWith: "--resume"))\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }
}

import ArgumentParser
import DynamoDB
import ItemFiles

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every item of a table to a file, one item per line.",
        discussion: """
            The default format is DynamoDB's own export format (DynamoDB JSON, {"Item": {...}} per \
            line), which DynamoDB's ImportTable and `sentinel-tables import` read back with every \
            attribute type; --format json writes plain JSON lines with exact numbers for other tools \
            (sets become arrays, binary values base64 text). A FILE ending in .gz is gzip-compressed. \
            The file is written whole or not at all: it replaces FILE only when every item was \
            written. Without --output the items go to standard output. Exit status 1 when the table \
            cannot be read or the file written, 130 on Ctrl-C (nothing is written then).
            """
    )

    @Argument(help: "The table to export.")
    var table: String

    @Option(name: [.short, .long], help: "The file to write (default: standard output).")
    var output: String?

    // Unconditional parsing: `--segments -5` is a bad value to report as such, not a missing one.
    @Option(
        parsing: .unconditional,
        help: "Read with a parallel scan of this many segments (1 to 1000; at most 8 run at once).",
        transform: OptionRange.wholeNumber("--segments", in: 1...1000))
    var segments = 1

    @Option(help: "The line format: DynamoDB JSON (DynamoDB's export format) or plain JSON.")
    var format: ItemFileFormat = .dynamoDBJSON

    @Flag(help: "Strongly consistent reads (twice the read capacity).")
    var consistent = false

    @OptionGroup var capacity: CapacityOptions

    func validate() throws {
        try capacity.requireUsed(read: true, write: false, command: "export")
    }
    @OptionGroup var aws: AWSOptions

    func run() throws {
        let connection = aws.connection(readOnlyFor: "export")
        defer { connection.shutdownAndWait() }
        let client = try AWSFailure.client(connection)
        let progress = TransferProgress(verb: "\(table): exported")
        let (table, path, format, segments, consistent) = (table, output ?? "-", format, segments, consistent)
        let capacity = capacity
        let outcome = AsyncWork.wait { () async -> Result<ExportSummary, DynamoDBError> in
            do throws(DynamoDBError) {
                let budget = try await capacity.budget(
                    client: client, table: table, read: true, write: false,
                    onWait: progress.capacityWaitStarted)
                progress.show(budget)
                return .success(
                    try await client.exportItems(
                        tableName: table, to: path, format: format, segments: segments,
                        consistentRead: consistent,
                        replace: true, capacity: budget
                    ) { written, estimated in
                        progress.update(done: written, total: estimated, estimated: true)
                    })
            } catch {
                return .failure(error)
            }
        }
        progress.finish()
        switch outcome {
        case .success(let summary):
            let destination = path == "-" ? "standard output" : path
            StandardError.write("\(table): exported \(summary.items) items to \(destination)\n")
            StandardError.write(progress.budgetReport(table: table))
        case .failure(.input(ItemFileWriter.outputClosed)):
            // The reader of a pipe stopped reading (`| head`): what it wanted, not a failure.
            return
        case .failure where Interrupts.wasInterrupted:
            StandardError.write(
                "export interrupted: \(path == "-" ? "the output is incomplete" : "\(path) was not written")\n"
            )
            throw ExitCode(ExitStatus.interrupted)
        case .failure(let error):
            StandardError.write("sentinel-tables: \(error)\n")
            if path != "-" { StandardError.write("\(path) was not written\n") }
            throw ExitCode(ExitStatus.scriptError)
        }
    }
}

extension ItemFileFormat: ExpressibleByArgument {}

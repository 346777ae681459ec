import ArgumentParser
import DynamoDB
import SentinelScript

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct TruncateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "truncate",
        abstract: "Delete every item of a table, keeping the table.",
        discussion: """
            Reads the table's keys with a parallel scan and deletes them 25 per BatchWriteItem, within \
            a capacity budget when one is given. Asks for the table's name on a terminal (--yes skips \
            the question; without a terminal --yes is required). Refuses a table with deletion \
            protection on and a protected target. --dry-run counts the items instead. Exit status 1 \
            when refused or failed, 130 on Ctrl-C (the items deleted until then are gone).
            """
    )

    @Argument(help: "The table to empty.", completion: .custom(TableNameCompletion.candidates))
    var table: String

    @Flag(help: "Count the items that would be deleted; delete nothing.")
    var dryRun = false

    @Flag(help: "Do not ask for the table's name.")
    var yes = false

    @Option(
        parsing: .unconditional,
        help: "Scan in this many segments (1 to 1000; at most 8 run at once).",
        transform: OptionRange.wholeNumber("--segments", in: 1...1000))
    var segments = 4

    @OptionGroup var capacity: CapacityOptions
    @OptionGroup var aws: AWSOptions
    @OptionGroup var targets: TargetOptions

    func run() throws {
        var options = dryRun ? aws.readOnlyOptions(for: "truncate --dry-run") : aws.options
        if targets.areChosen {
            let chosen = try targets.chosen(limits: TargetFleet.fileLimits)
            guard chosen.count == 1, let target = chosen.first else {
                throw ValidationError("truncate empties one table on one target: name one --target")
            }
            if target.isProtected {
                StandardError.write(
                    "sentinel-tables: target '\(target.name)' is protected: truncate refuses it (it deletes "
                        + "every item of a table, which no answer to a prompt should allow); nothing was "
                        + "deleted\n")
                throw ExitCode(ExitStatus.scriptError)
            }
            options = target.awsOptions(over: options)
        }
        let connection = AWSConnection(options: options)
        defer { connection.shutdownAndWait() }
        let client = try AWSFailure.client(connection)
        try AWSFailure.announceCaller(client, command: "truncate")
        let table = table
        let described = AsyncWork.wait { () async -> Result<TableDescription, DynamoDBError> in
            do throws(DynamoDBError) { return .success(try await client.describeTable(table)) } catch {
                return .failure(error)
            }
        }
        let description: TableDescription
        switch described {
        case .success(let found): description = found
        case .failure where Interrupts.wasInterrupted:
            StandardError.write("truncate interrupted: nothing was deleted\n")
            throw ExitCode(ExitStatus.interrupted)
        case .failure(let error):
            StandardError.write("sentinel-tables: \(error)\n")
            throw ExitCode(ExitStatus.scriptError)
        }
        if description.deletionProtectionEnabled && !dryRun {
            StandardError.write(
                "sentinel-tables: table '\(table)' has deletion protection on: truncate refuses it; turn "
                    + "the protection off first (deletion_protection = false and apply) if its items must "
                    + "go; nothing was deleted\n")
            throw ExitCode(ExitStatus.scriptError)
        }
        if !dryRun && !yes { try Self.confirm(table, items: description.itemCount) }
        let progress = TransferProgress(verb: "\(table): \(dryRun ? "counted" : "deleted")")
        let (segments, dryRun, capacity) = (segments, dryRun, capacity)
        let outcome = AsyncWork.wait { () async -> Result<Int, DynamoDBError> in
            do throws(DynamoDBError) {
                let budget = try await capacity.budget(
                    client: client, table: table, read: true, write: !dryRun,
                    onWait: progress.capacityWaitStarted)
                progress.show(budget)
                return .success(
                    try await client.truncate(
                        tableName: table, segments: segments, dryRun: dryRun, capacity: budget
                    ) { done, estimated in progress.update(done: done, total: estimated, estimated: true) })
            } catch {
                return .failure(error)
            }
        }
        progress.finish()
        switch outcome {
        case .success(let count):
            StandardError.write(
                dryRun
                    ? "\(table): \(count) item\(count == 1 ? "" : "s") would be deleted (--dry-run: nothing was)\n"
                    : "\(table): deleted \(count) item\(count == 1 ? "" : "s"); the table is kept\n")
            StandardError.write(progress.budgetReport(table: table))
        case .failure where Interrupts.wasInterrupted:
            StandardError.write(
                "truncate interrupted: items deleted until then are gone; truncate again to finish\n")
            throw ExitCode(ExitStatus.interrupted)
        case .failure(let error):
            StandardError.write("sentinel-tables: \(error)\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }

    /// Asks for the table's name: only the name itself goes on.
    static func confirm(_ table: String, items: Int?) throws {
        guard isatty(0) != 0 else {
            StandardError.write("sentinel-tables: not on a terminal: run truncate with --yes to confirm\n")
            throw ExitCode(ExitStatus.scriptError)
        }
        let count = items.map { " (about \($0) according to DynamoDB's count)" } ?? ""
        StandardError.write(
            "This deletes every item of table '\(table)'\(count). Type the table's name to go on: ")
        guard let answer = readLine(), answer.split(separator: " ").joined() == table else {
            StandardError.write("Not confirmed; nothing was deleted.\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }
}

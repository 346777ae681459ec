import ArgumentParser
import Provisioning

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete tables and all their items.",
        discussion: """
            Checks every table first: if any has deletion protection on (or cannot be read), nothing is \
            deleted. A table that does not exist is reported and counts as deleted. Then asks on a \
            terminal (without one, --yes is required) and waits until the tables are gone. Exit status 1 \
            when any table could not be deleted.
            """
    )

    @Argument(
        help: "Table names.", completion: .custom(TableNameCompletion.candidates))
    var tables: [String]

    @Flag(help: "Delete without asking.")
    var yes = false

    @Flag(help: "With targets: delete on protected targets too without asking for their names.")
    var yesProtected = false

    @OptionGroup var aws: AWSOptions
    @OptionGroup var targets: TargetOptions

    func run() throws {
        if targets.areChosen { return try deleteOnTargets() }
        let connection = aws.connection()
        defer { connection.shutdownAndWait() }
        let client = try AWSFailure.client(connection)
        try AWSFailure.announceCaller(client, command: "delete")
        let provisioner = Provisioner(
            controlPlane: DynamoDBControlPlane(client: client), events: ProgressLog().handle)
        let names = tables
        let checks = AsyncWork.wait { await provisioner.deletionChecks(names) }
        if Interrupts.wasInterrupted {
            StandardError.write("delete interrupted while checking the tables: nothing was deleted\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        try AWSFailure.stopIfEveryTableFailedAlike(checks)
        var deletable: [String] = []
        var refusals: [ProvisioningError] = []
        for (name, check) in zip(names, checks) {
            switch check {
            case .success(.deletable): if !deletable.contains(name) { deletable.append(name) }
            case .success(.notFound): StandardError.write("\(name): does not exist, nothing to delete\n")
            case .failure(let error): refusals.append(error)
            }
        }
        if !refusals.isEmpty {
            for refusal in refusals { StandardError.write("\(refusal)\n") }
            StandardError.write("Nothing was deleted.\n")
            throw ExitCode(ExitStatus.scriptError)
        }
        if deletable.isEmpty { return }
        if !yes {
            StandardError.write(Self.warning(deletable))
            try Confirmation.require("Delete?", refusal: "delete")
        }
        let confirmed = deletable
        let failures = AsyncWork.wait { await provisioner.concurrentlyDelete(confirmed) }
        if Interrupts.wasInterrupted, failures.contains(where: { $0 != nil }) {
            // Deleted tables were reported as they went; a DeleteTable sent may still finish.
            let unfinished = zip(confirmed, failures).filter { $0.1 != nil }.map(\.0)
            StandardError.write(
                "delete interrupted; not known to be deleted: \(unfinished.joined(separator: ", "))\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        try AWSFailure.stopIfEveryTableFailedAlike(failures)
        for failure in failures.compactMap({ $0 }) { StandardError.write("\(failure)\n") }
        if failures.contains(where: { $0 != nil }) { throw ExitCode(ExitStatus.scriptError) }
    }

    /// What is about to go, worded for one table or several.
    static func warning(_ tables: [String]) -> String {
        guard tables.count > 1 else { return "This deletes table '\(tables[0])' and every item in it.\n" }
        let names = tables.map { "'\($0)'" }.joined(separator: ", ")
        return "This deletes \(tables.count) tables (\(names)) and every item in them.\n"
    }
}

import ArgumentParser
import Provisioning

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete tables and all their items.",
        discussion: """
            Asks on a terminal (without one, --yes is required). A table with deletion protection is \
            refused, with how to turn it off; a table that does not exist counts as deleted. Waits until \
            the table is gone. Exit status 1 when any table could not be deleted.
            """
    )

    @Argument(help: "Table names.")
    var tables: [String]

    @Flag(help: "Delete without asking.")
    var yes = false

    @OptionGroup var aws: AWSOptions

    func run() throws {
        if !yes {
            StandardError.write("This deletes \(tables.joined(separator: ", ")) and every item in them.\n")
            try Confirmation.require("Delete?", refusal: "delete")
        }
        let connection = aws.connection()
        defer { connection.shutdownAndWait() }
        let provisioner = Provisioner(
            controlPlane: DynamoDBControlPlane(client: try AWSFailure.client(connection)),
            events: ProgressLog().handle)
        let names = tables
        let failures = AsyncWork.wait {
            await provisioner.concurrentlyDelete(names)
        }
        if Interrupts.wasInterrupted, failures.contains(where: { $0 != nil }) {
            // Deleted tables were reported as they went; a DeleteTable sent may still finish.
            let unfinished = zip(names, failures).filter { $0.1 != nil }.map(\.0)
            StandardError.write(
                "delete interrupted; not known to be deleted: \(unfinished.joined(separator: ", "))\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        try AWSFailure.stopIfUnreachable(failures)
        for failure in failures.compactMap({ $0 }) { StandardError.write("\(failure)\n") }
        if failures.contains(where: { $0 != nil }) { throw ExitCode(ExitStatus.scriptError) }
    }
}

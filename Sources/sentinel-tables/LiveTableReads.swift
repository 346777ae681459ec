import ArgumentParser
import Provisioning

/// Reads the live state of tables for a command (`status`, `schema --from-table`): every table at once;
/// Ctrl-C ends the command with 130 (`COMMAND interrupted`); AWS failures every table met alike are said
/// once (see ``AWSFailure``). A table that does not exist is nil.
enum LiveTableReads {
    static func read(_ names: [String], aws: AWSOptions, command: String) throws
        -> [Result<LiveTable?, ProvisioningError>]
    {
        let connection = aws.connection(readOnlyFor: command)
        defer { connection.shutdownAndWait() }
        let provisioner = Provisioner(
            controlPlane: DynamoDBControlPlane(client: try AWSFailure.client(connection)))
        let results = AsyncWork.wait { await provisioner.status(names) }
        if Interrupts.wasInterrupted {
            StandardError.write("\(command) interrupted\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        try AWSFailure.stopIfEveryTableFailedAlike(results)
        return results
    }
}

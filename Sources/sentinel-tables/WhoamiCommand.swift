import ArgumentParser
import JSON

struct WhoamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show the AWS account, caller and credentials the other commands would use.",
        discussion: """
            Resolves credentials as every command does and asks STS GetCallerIdentity who they belong \
            to: the account, the caller's ARN, which source gave the credentials (environment, profile \
            NAME via assume-role, web identity, SSO, keys or credential_process, container, instance \
            metadata), the region and the DynamoDB endpoint. With an endpoint given for DynamoDB alone \
            (a local server) and no STS endpoint configured, the account is not asked for. Exit status \
            1 when credentials cannot be found or STS refuses them, or when --allowed-account rules \
            the account out.
            """
    )

    @Flag(help: "Print the answer as JSON.")
    var json = false

    @OptionGroup var aws: AWSOptions

    func run() throws {
        let connection = aws.connection(readOnlyFor: "whoami")
        defer { connection.shutdownAndWait() }
        let report = try CallerReport.gatherForCommand(try AWSFailure.client(connection), command: "whoami")
        if json {
            print(JSONWriter(style: .pretty).string(from: report.json(verbose: aws.verbose)))
        } else {
            print(report.text(verbose: aws.verbose), terminator: "")
        }
    }
}

import ArgumentParser
import DynamoDB
import Logging
import SentinelScript

/// `--region`, `--profile`, `--endpoint-url`, `--aws-timeout` and `--verbose`: every command that talks
/// to AWS.
/// Anything not given is found as the AWS CLI finds it (environment, then the shared config files).
struct AWSOptions: ParsableArguments {
    @Option(help: "The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region).")
    var region: String?

    @Option(help: "The profile of the shared AWS config and credentials files (default: AWS_PROFILE).")
    var profile: String?

    @Option(
        name: .customLong("endpoint-url"),
        help: "Send requests here instead of AWS, e.g. http://127.0.0.1:8000 for a local DynamoDB.")
    var endpointURL: String?

    @Option(
        name: .customLong("aws-timeout"), parsing: .unconditional,
        help: "Give up on an AWS call, its retries included, after this many seconds.")
    var awsTimeout: Double?

    @Flag(
        help: "Log each request's operation, table, status and timing on stderr (never headers or secrets).")
    var verbose = false

    /// A malformed `--endpoint-url` is a usage error (status 2), found before anything runs, in the
    /// words the configuration uses for the same mistake in AWS_ENDPOINT_URL or a profile.
    func validate() throws {
        try OptionRange.checkSeconds(awsTimeout, option: "--aws-timeout")
        if let endpointURL, Endpoint(url: endpointURL) == nil {
            throw ValidationError(
                "--endpoint-url is not an http(s) URL: '\(endpointURL)' (for example http://127.0.0.1:8000)")
        }
    }

    /// What the flags chose; the rest is found when AWS is first reached.
    var options: DynamoDBConfiguration.Options {
        Self.options(
            region: region, profile: profile, endpointURL: endpointURL, awsTimeout: awsTimeout,
            verbose: verbose)
    }

    /// The same from plain values (``PlainRun`` gives the defaults without parsing options).
    static func options(
        region: String?, profile: String?, endpointURL: String?, awsTimeout: Double?, verbose: Bool
    ) -> DynamoDBConfiguration.Options {
        var logger = Logger(label: "sentinel-tables") { label in StreamLogHandler.standardError(label: label)
        }
        logger.logLevel = verbose ? Logger.Level.debug : Logger.Level.warning
        return .init(
            region: region, profile: profile, endpoint: endpointURL,
            callTimeout: awsTimeout.map { .milliseconds(Int64(($0 * 1000).rounded(.up))) }, logger: logger)
    }

    /// A connection that makes its client on first use, for the commands that run no script.
    func connection() -> AWSConnection {
        AWSConnection(options: options)
    }
}

import ArgumentParser
import DynamoDB
import Logging
import SentinelScript

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--region`, `--profile`, `--endpoint-url`, `--aws-timeout` and `--verbose`: every command that talks
/// to AWS.
/// Anything not given is found as the AWS CLI finds it (environment, then the shared config files).
struct AWSOptions: ParsableArguments {
    @Option(help: "The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region).")
    var region: String?

    @Option(
        help:
            "The profile of the shared AWS config and credentials files (default: AWS_PROFILE, then default)."
    )
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

    @Option(
        name: .customLong("allowed-account"),
        help: ArgumentHelp(
            "Refuse to send anything to DynamoDB unless the credentials belong to this account (repeatable; "
                + "default: SENTINEL_TABLES_ALLOWED_ACCOUNTS, comma-separated).", valueName: "ID"))
    var allowedAccounts: [String] = []

    /// A malformed `--endpoint-url` is a usage error (status 2), found before anything runs, in the
    /// words the configuration uses for the same mistake in AWS_ENDPOINT_URL or a profile.
    func validate() throws {
        try OptionRange.checkSeconds(awsTimeout, option: "--aws-timeout")
        for account in allowedAccounts where !Self.isAccountID(account) {
            throw ValidationError(
                "--allowed-account must be a 12-digit AWS account id, not '\(account.prefix(40))'")
        }
        if let endpointURL, Endpoint(url: endpointURL) == nil {
            throw ValidationError(
                "--endpoint-url is not an http(s) URL: '\(endpointURL)' (for example http://127.0.0.1:8000)")
        }
    }

    /// What the flags chose; the rest is found when AWS is first reached.
    var options: DynamoDBConfiguration.Options {
        var options = Self.options(
            region: region, profile: profile, endpointURL: endpointURL, awsTimeout: awsTimeout,
            verbose: verbose)
        if !allowedAccounts.isEmpty { options.allowedAccounts = allowedAccounts }
        return options
    }

    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// The same from plain values (``PlainRun`` gives the defaults without parsing options).
    static func options(
        region: String?, profile: String?, endpointURL: String?, awsTimeout: Double?, verbose: Bool
    ) -> DynamoDBConfiguration.Options {
        var logger = Logger(label: "sentinel-tables") { label in StreamLogHandler.standardError(label: label)
        }
        logger.logLevel = verbose ? Logger.Level.debug : Logger.Level.warning
        // SENTINEL_TABLES_ALLOWED_ACCOUNTS guards every command; --allowed-account replaces it. Every
        // entry is kept as written, empty ones too ("," names no account): the guard refuses anything
        // but 12-digit ids before it signs (AccountGuard), so a typo fails closed, never "no guard".
        // One getenv, not a dictionary of the whole environment: this runs at every start (docs/performance.md).
        let variable = getenv("SENTINEL_TABLES_ALLOWED_ACCOUNTS").map { String(cString: $0) } ?? ""
        let fromEnvironment =
            variable.allSatisfy(\.isWhitespace)
            ? []
            : variable.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0.filter { !$0.isWhitespace })
            }
        return .init(
            region: region, profile: profile, endpoint: endpointURL,
            // validate() refused what the number rule refuses; nothing is left out here in practice.
            callTimeout: try? OptionRange.duration(awsTimeout, option: "--aws-timeout"), logger: logger,
            allowedAccounts: fromEnvironment, mfaCodePrompt: MFACodeTerminalPrompt.prompt)
    }

    /// The options as given on the command line (`--region R`, `--profile P`, `--endpoint-url U`), for
    /// a command the tool suggests: pasted as shown, it must act where this one did.
    var given: [String] {
        var words: [String] = []
        if let region { words += ["--region", region] }
        if let profile { words += ["--profile", profile] }
        if let endpointURL { words += ["--endpoint-url", endpointURL] }
        return words
    }

    /// What the flags chose, for a command that only reads (`plan`, `status`, `whoami`, `export`,
    /// `schema --from-table`, `repl --read-only`): its clients refuse every write before signing it,
    /// whatever a script it runs calls.
    func readOnlyOptions(for command: String) -> DynamoDBConfiguration.Options {
        var options = self.options
        options.access = .readOnly(holder: command)
        return options
    }

    /// A connection that makes its client on first use, for the commands that run no script; a
    /// read-only one when `readOnlyFor` names the command.
    func connection(readOnlyFor command: String? = nil) -> AWSConnection {
        AWSConnection(options: command.map(readOnlyOptions(for:)) ?? options)
    }
}

import Logging

/// Everything a ``DynamoDBClient`` needs: region, endpoint, credentials, retries, timeouts, logger.
///
/// Build one directly, or let ``resolve(_:environment:fileSystem:)`` find each part in the AWS CLI's
/// order: options (the tool's flags), then the environment, then the shared config files.
public struct DynamoDBConfiguration: Sendable {
    /// What the caller chose explicitly; anything `nil` is looked up.
    public struct Options: Sendable {
        /// The region, `--region`.
        public var region: String?
        /// The profile of the shared files, `--profile`.
        public var profile: String?
        /// The endpoint URL, `--endpoint-url`.
        public var endpoint: String?
        /// Credentials to use before any other source.
        public var credentials: AWSCredentials?
        /// A source of credentials that replaces the whole chain (an embedding program's own vault,
        /// say); `credentials` is then ignored.
        public var credentialProvider: (any CredentialProvider)?
        /// The retry policy.
        public var retryPolicy: RetryPolicy
        /// The most one call may take, every attempt and the delays between them included
        /// (`--aws-timeout`); `nil` leaves only the per-attempt limits.
        public var callTimeout: Duration?
        /// Where debug lines go.
        public var logger: Logger

        public init(
            region: String? = nil, profile: String? = nil, endpoint: String? = nil,
            credentials: AWSCredentials? = nil, credentialProvider: (any CredentialProvider)? = nil,
            retryPolicy: RetryPolicy = .standard, callTimeout: Duration? = nil,
            logger: Logger = Logger(label: "sentinel-tables.dynamodb")
        ) {
            self.region = region
            self.profile = profile
            self.endpoint = endpoint
            self.credentials = credentials
            self.credentialProvider = credentialProvider
            self.retryPolicy = retryPolicy
            self.callTimeout = callTimeout
            self.logger = logger
        }
    }

    /// The region that signs requests.
    public var region: String
    /// Where requests go.
    public var endpoint: Endpoint
    /// Where credentials come from; asked before every request (chains cache).
    public var credentials: any CredentialProvider
    /// How failures are retried.
    public var retryPolicy: RetryPolicy
    /// The time limit to establish a connection.
    public var connectTimeout: Duration
    /// The time limit for one attempt, from sending to the whole response.
    public var requestTimeout: Duration
    /// The time limit for one call, every attempt and the delays between them included; `nil` for
    /// none beyond ``requestTimeout`` per attempt. It also caps ``connectTimeout``.
    public var callTimeout: Duration?
    /// Debug lines: operation, table, status, duration, attempt; never headers or secrets.
    public var logger: Logger

    /// A configuration from its parts; without an endpoint, the region's DynamoDB endpoint.
    public init(
        region: String, endpoint: Endpoint? = nil, credentials: any CredentialProvider,
        retryPolicy: RetryPolicy = .standard, connectTimeout: Duration = .seconds(5),
        requestTimeout: Duration = .seconds(30), callTimeout: Duration? = nil,
        logger: Logger = Logger(label: "sentinel-tables.dynamodb")
    ) {
        self.region = region
        self.endpoint = endpoint ?? .dynamoDB(region: region)
        self.credentials = credentials
        self.retryPolicy = retryPolicy
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.callTimeout = callTimeout
        self.logger = logger
    }

    /// Resolves region, endpoint and the credential chain in the AWS CLI's order.
    ///
    /// - Region: `options.region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
    /// - Endpoint: `options.endpoint`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL`, the profile's
    ///   `endpoint_url`, then the region's endpoint.
    /// - Profile: `options.profile`, `AWS_PROFILE`, `default`; a profile named explicitly must exist.
    /// - Credentials: `options.credentialProvider` when given, else a
    ///   ``CredentialChain/standard(explicit:profileName:profileIsExplicit:files:environment:fileSystem:)``
    ///   chain, without the environment's keys when `options.profile` names a profile (as botocore);
    ///   either is asked lazily on the first request (so instance metadata is never waited for by a
    ///   command that does not call AWS).
    public static func resolve(
        _ options: Options = Options(), environment: [String: String] = ProcessEnvironment.current(),
        fileSystem: some FileSystem = LocalFileSystem()
    ) throws(DynamoDBError) -> DynamoDBConfiguration {
        let files = try SharedConfigFiles(environment: environment, fileSystem: fileSystem)
        let explicitProfile = options.profile ?? nonEmpty(environment["AWS_PROFILE"])
        let profileName = explicitProfile ?? "default"
        let profile = files.profile(profileName)
        if let explicitProfile, profile == nil {
            throw .configuration(
                "profile '\(explicitProfile)' not found in \(files.configPath) or \(files.credentialsPath)")
        }

        let regionSources: [(String, String?)] = [
            ("the region option (--region)", options.region),
            ("environment variable AWS_REGION", environment["AWS_REGION"]),
            ("environment variable AWS_DEFAULT_REGION", environment["AWS_DEFAULT_REGION"]),
            ("region in profile '\(profileName)' of \(files.configPath)", profile?.configSettings["region"]),
        ]
        guard
            let (regionSource, region) = regionSources.lazy.compactMap({ source, value in
                nonEmpty(value).map { (source, $0) }
            }).first
        else {
            throw .missingRegion(lookedIn: regionSources.map(\.0))
        }
        // The region becomes part of the endpoint's host name and of every signature: anything but a
        // region's letters, digits and hyphens is a typo to report, not a URL to build.
        guard region.utf8.allSatisfy({ isRegionCharacter($0) }) else {
            throw .configuration("\(regionSource) is not a region name: '\(region.prefix(64))'")
        }

        let endpointSources: [(String, String?)] = [
            ("the endpoint option", options.endpoint),
            ("AWS_ENDPOINT_URL_DYNAMODB", environment["AWS_ENDPOINT_URL_DYNAMODB"]),
            ("AWS_ENDPOINT_URL", environment["AWS_ENDPOINT_URL"]),
            ("endpoint_url in profile '\(profileName)'", profile?.configSettings["endpoint_url"]),
        ]
        var endpoint = Endpoint.dynamoDB(region: region)
        if let (source, url) = endpointSources.lazy.compactMap({ source, value in
            nonEmpty(value).map { (source, $0) }
        }).first {
            guard let parsed = Endpoint(url: url) else {
                throw .configuration("\(source) is not an http(s) URL: '\(url)'")
            }
            endpoint = parsed
        }

        let chain = CredentialChain.standard(
            explicit: options.credentials, profileName: profileName,
            profileIsExplicit: options.profile != nil,
            files: files, environment: environment, fileSystem: fileSystem)
        let credentials: any CredentialProvider = options.credentialProvider ?? chain
        return DynamoDBConfiguration(
            region: region, endpoint: endpoint, credentials: credentials, retryPolicy: options.retryPolicy,
            callTimeout: options.callTimeout, logger: options.logger)
    }

    private static func isRegionCharacter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value = value?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }
}

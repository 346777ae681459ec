import AWS
import DynamoDBModel
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
        /// Where STS requests go (the account check, assumed roles, web identity), before
        /// `AWS_ENDPOINT_URL_STS` and the profile's `services` section: a target's `sts_endpoint_url`,
        /// for a local or private setup whose DynamoDB endpoint has an STS beside it.
        public var stsEndpoint: String?
        /// Credentials to use before any other source.
        public var credentials: AWSCredentials?
        /// A source of credentials that replaces the whole chain (an embedding program's own vault,
        /// say); `credentials` is then ignored.
        public var credentialProvider: (any CredentialProvider)?
        /// The retry policy; `nil` for DynamoDB's defaults (``RetryPolicy/dynamoDB``) with the mode and
        /// attempts of `AWS_RETRY_MODE`/`retry_mode` and `AWS_MAX_ATTEMPTS`/`max_attempts`.
        public var retryPolicy: RetryPolicy?
        /// The most one call may take, every attempt and the delays between them included
        /// (`--aws-timeout`); `nil` leaves only the per-attempt limits.
        public var callTimeout: Duration?
        /// Where debug lines go.
        public var logger: Logger
        /// The accounts the credentials may belong to (`--allowed-account`); empty allows any. With
        /// any, the client checks the account through STS before its first request.
        public var allowedAccounts: [String]
        /// What the client may do (``DynamoDBAccess``): read-write unless the caller only reads.
        public var access: DynamoDBAccess = .readWrite
        /// Runs once before the client's first request (``DynamoDBConfiguration/announce``).
        public var announce: Announcement?
        /// Asks for the code of an assume-role profile's `mfa_serial`; `nil` makes such profiles fail
        /// with a message (a program without a terminal).
        public var mfaCodePrompt: MFACodePrompt?
        /// Records what each item request costs, and holds them back while explaining
        /// (``RequestLedger``): the REPL's cost lines and `explain`.
        public var requestLedger: RequestLedger?

        public init(
            region: String? = nil, profile: String? = nil, endpoint: String? = nil,
            credentials: AWSCredentials? = nil, credentialProvider: (any CredentialProvider)? = nil,
            retryPolicy: RetryPolicy? = nil, callTimeout: Duration? = nil,
            logger: Logger = Logger(label: "sentinel-tables.dynamodb"), allowedAccounts: [String] = [],
            mfaCodePrompt: MFACodePrompt? = nil, access: DynamoDBAccess = .readWrite
        ) {
            self.access = access
            self.allowedAccounts = allowedAccounts
            self.mfaCodePrompt = mfaCodePrompt
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
    /// Where DynamoDB Streams requests go (`watch`): the region's streams endpoint, or the one
    /// configured for streams, or else the DynamoDB endpoint when that was given (a local server such
    /// as moto or DynamoDB Local serves both on one port).
    public var streamsEndpoint: Endpoint
    /// Where credentials come from; asked before every request (chains cache).
    public var credentials: any CredentialProvider
    /// How failures are retried.
    public var retryPolicy: RetryPolicy
    /// The time limit to establish a connection.
    public var connectTimeout: Duration
    /// The time limit for one attempt, from sending to the whole response: 60 s by default, botocore's
    /// read timeout (a 1 MB Scan page of a busy table, or a loaded local server, can take tens of seconds).
    public var requestTimeout: Duration
    /// The time limit for one call, every attempt and the delays between them included; `nil` for
    /// none beyond ``requestTimeout`` per attempt. It also caps ``connectTimeout``.
    public var callTimeout: Duration?
    /// Debug lines: operation, table, status, duration, attempt; never headers or secrets.
    public var logger: Logger
    /// Where STS (`GetCallerIdentity`) is asked who the credentials belong to; `nil` when requests go
    /// to an endpoint given for DynamoDB alone (a local server) and nothing names an STS endpoint.
    public var stsEndpoint: Endpoint?
    /// The accounts the credentials may belong to; empty allows any.
    public var allowedAccounts: [String] = []
    /// Checks each credential set against ``allowedAccounts`` (``AccountGuard``); shared by the copies
    /// of this configuration, so a set is asked about once.
    let accountGuard = AccountGuard()
    /// What clients made from this configuration may do.
    public var access: DynamoDBAccess = .readWrite
    /// Says who is about to act (the CLI's caller line), given the client.
    public typealias Announcement = @Sendable (DynamoDBClient) async throws(DynamoDBError) -> Void
    /// Runs once, inside the first request's own work (so cancelling the request cancels it), before
    /// a client made from this configuration sends anything; throwing stops that request, and the next
    /// request announces again. `run` says there who is acting, only if its script reaches AWS at all.
    public var announce: Announcement?
    /// Records item requests and their cost (``RequestLedger``); nil for none.
    public var requestLedger: RequestLedger?
    /// Where the endpoint came from, for `whoami`: `the endpoint option`, `the region`.
    public var endpointSource: String = "the region"
    /// The proxies and private CA every request to AWS goes through (DynamoDB, STS, IAM Identity
    /// Center): the environment's `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, `AWS_CA_BUNDLE`, the
    /// profile's `ca_bundle`.
    public var network: NetworkSettings = .direct
    /// `account_id_endpoint_mode`: whether requests go to the account's endpoint
    /// (``AccountIDEndpoint``) when the credentials name an account and ``endpoint`` is the region's.
    public var accountIDEndpointMode: AccountIDEndpoint.Mode = .preferred
    /// Whether ``endpoint`` is the region's (not given explicitly), so that an account endpoint may
    /// replace it.
    public var endpointIsRegional: Bool
    /// FIPS and dual-stack, as asked for the region's endpoint: another region's is made alike.
    var regionalEndpointFlags: (fips: Bool, dualStack: Bool) = (false, false)

    /// A configuration from its parts; without an endpoint, the region's DynamoDB endpoint.
    public init(
        region: String, endpoint: Endpoint? = nil, credentials: any CredentialProvider,
        retryPolicy: RetryPolicy = .dynamoDB, connectTimeout: Duration = .seconds(5),
        requestTimeout: Duration = .seconds(60), callTimeout: Duration? = nil,
        logger: Logger = Logger(label: "sentinel-tables.dynamodb")
    ) {
        self.region = region
        self.endpoint = endpoint ?? .dynamoDB(region: region)
        self.streamsEndpoint = endpoint ?? .dynamoDBStreams(region: region)
        endpointIsRegional = endpoint == nil
        self.credentials = credentials
        self.retryPolicy = retryPolicy
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.callTimeout = callTimeout
        self.logger = logger
        self.stsEndpoint =
            endpoint == nil ? ServiceEndpointResolver(region: region).regionalEndpoint(for: .sts) : nil
    }

    /// Resolves region, endpoint and the credential chain in the AWS CLI's order.
    ///
    /// - Region: `options.region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
    /// - Endpoint: `options.endpoint`, then `ServiceEndpointResolver`: `AWS_ENDPOINT_URL_DYNAMODB`,
    ///   `AWS_ENDPOINT_URL`, the profile's `services` section, its `endpoint_url` (unless configured
    ///   endpoints are ignored), then the region's endpoint (FIPS and dual-stack as configured).
    /// - Streams endpoint: `options.endpoint`, then what is configured for `dynamodb_streams`
    ///   (`AWS_ENDPOINT_URL_DYNAMODB_STREAMS`, ...), then the DynamoDB endpoint when one was
    ///   configured, then the region's streams endpoint.
    /// - Profile: `options.profile`, `AWS_PROFILE`, `default`; a profile named explicitly must exist.
    /// - Credentials: `options.credentialProvider` when given, else a
    ///   `CredentialChain.standard(explicit:profileName:profileIsExplicit:context:)`
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

        var endpoints = try ServiceEndpointResolver(
            region: region, profile: profile, files: files, environment: environment)
        if let url = nonEmpty(options.stsEndpoint) {
            guard let parsed = Endpoint(url: url) else {
                throw .configuration("the STS endpoint option is not an http(s) URL: '\(url.prefix(80))'")
            }
            endpoints.givenEndpoints[.sts] = (parsed, "the STS endpoint option")
        }
        var endpoint = endpoints.regionalEndpoint(for: .dynamoDB)
        var endpointSource = "the region"
        if let url = nonEmpty(options.endpoint) {
            guard let parsed = Endpoint(url: url) else {
                throw .configuration("the endpoint option is not an http(s) URL: '\(url)'")
            }
            (endpoint, endpointSource) = (parsed, "the endpoint option")
        } else if let configured = try endpoints.configuredEndpoint(for: .dynamoDB) {
            (endpoint, endpointSource) = configured
        }
        // Streams where they are configured; else beside a DynamoDB endpoint that was given (a local
        // server answers both APIs), else the region's.
        var streamsEndpoint = endpoints.regionalEndpoint(for: .dynamoDBStreams)
        if endpointSource == "the endpoint option" {
            streamsEndpoint = endpoint
        } else if let configured = try endpoints.configuredEndpoint(for: .dynamoDBStreams) {
            streamsEndpoint = configured.endpoint
        } else if endpointSource != "the region" {
            streamsEndpoint = endpoint
        }
        // STS where it is configured; the region's STS when DynamoDB is the region's too; none for a
        // DynamoDB endpoint given on its own (a local server has no STS to ask).
        let stsEndpoint =
            try endpoints.configuredEndpoint(for: .sts)?.endpoint
            ?? (endpointSource == "the region" ? endpoints.regionalEndpoint(for: .sts) : nil)

        let network = try NetworkSettings.resolve(
            environment: environment, profile: profile, fileSystem: fileSystem)
        let context = CredentialResolutionContext(
            files: files, environment: environment, fileSystem: fileSystem, endpoints: endpoints,
            mfaCodePrompt: options.mfaCodePrompt, network: network)
        let chain = CredentialChain.standard(
            explicit: options.credentials, profileName: profileName,
            profileIsExplicit: options.profile != nil,
            context: context)
        let credentials: any CredentialProvider = options.credentialProvider ?? chain
        let retryPolicy: RetryPolicy
        if let given = options.retryPolicy {
            retryPolicy = given
        } else {
            retryPolicy = try RetryPolicy.configured(
                defaults: .dynamoDB, environment: environment, profile: profile)
        }
        var configuration = DynamoDBConfiguration(
            region: region, endpoint: endpoint, credentials: credentials, retryPolicy: retryPolicy,
            callTimeout: options.callTimeout, logger: options.logger)
        configuration.stsEndpoint = stsEndpoint
        configuration.streamsEndpoint = streamsEndpoint
        configuration.endpointSource = endpointSource
        configuration.network = network
        configuration.endpointIsRegional = endpointSource == "the region"
        configuration.regionalEndpointFlags = (endpoints.useFIPS, endpoints.useDualStack)
        configuration.accountIDEndpointMode = try AccountIDEndpoint.mode(
            environment: environment, profile: profile)
        configuration.allowedAccounts = options.allowedAccounts
        configuration.access = options.access
        configuration.announce = options.announce
        configuration.requestLedger = options.requestLedger
        return configuration
    }
    /// Where a request for another region of the same account goes (a global table's replica): that
    /// region's endpoint, FIPS and dual-stack as configured, when the endpoint came from the region; the
    /// same endpoint when one was configured (a local server, or a proxy, serves every region and tells
    /// them apart by the signature's region).
    public func endpoint(inRegion region: String) throws(DynamoDBError) -> Endpoint {
        guard endpointSource == "the region" else { return endpoint }
        // The region becomes part of the host name: only a region's letters, digits and hyphens.
        guard !region.isEmpty, region.utf8.allSatisfy({ Self.isRegionCharacter($0) }) else {
            throw .configuration("not a region name: '\(region.prefix(64))'")
        }
        var resolver = ServiceEndpointResolver(region: region)
        resolver.useFIPS = regionalEndpointFlags.fips
        resolver.useDualStack = regionalEndpointFlags.dualStack
        return resolver.regionalEndpoint(for: .dynamoDB)
    }

    /// The credentials requests are signed with now: a chain's cached or refreshed answer, or
    /// `DynamoDBError.missingCredentials(lookedIn:)` listing where it looked.
    ///
    /// With ``allowedAccounts``, each credential set is checked (``AccountGuard``) before it is
    /// returned, so nothing signs with a set from another account, however the set was refreshed.
    public func resolvedCredentials() async throws(DynamoDBError) -> AWSCredentials {
        let found: AWSCredentials
        if let chain = credentials as? CredentialChain {
            found = try await chain.resolve()
        } else {
            guard let given = try await credentials.credentials() else {
                throw .missingCredentials(lookedIn: [credentials.source])
            }
            found = given
        }
        if !allowedAccounts.isEmpty {
            try await accountGuard.check(
                found, allowed: allowedAccounts, stsEndpoint: stsEndpoint, region: region,
                endpoint: endpoint.description, network: network)
        }
        return found
    }

    /// Where a request signed with `credentials` goes, in this configuration's region or in `other`
    /// (a global table's replica): the account's endpoint when the endpoint is the region's and the
    /// credentials name an account (unless `account_id_endpoint_mode` is `disabled`), else the
    /// region's endpoint or the one given. Throws when the mode is `required` and cannot be met.
    public func endpoint(
        for credentials: AWSCredentials, inRegion other: String? = nil
    ) throws(DynamoDBError) -> Endpoint {
        let regional =
            try other.map { (name) throws(DynamoDBError) in try endpoint(inRegion: name) } ?? endpoint
        guard endpointIsRegional else { return regional }
        return try AccountIDEndpoint.endpoint(
            region: other ?? region, useFIPS: regionalEndpointFlags.fips,
            useDualStack: regionalEndpointFlags.dualStack, mode: accountIDEndpointMode,
            accountID: credentials.accountID) ?? regional
    }

    /// Which source gave the credentials, in words (`profile 'prod' (assume role ARN)`), once they
    /// have been resolved; the configured provider's own description otherwise.
    public func credentialsSourceDescription() async -> String {
        if let chain = credentials as? CredentialChain, let answering = await chain.answeringSource() {
            return answering
        }
        return credentials.source
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

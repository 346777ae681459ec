import DynamoDBModel

/// Finds where a service's requests go, as the AWS SDKs do.
///
/// Configured endpoints first, in the SDKs' documented precedence ("Service-specific endpoints",
/// AWS SDKs and Tools Reference Guide): `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the
/// service's sub-section of the profile's `services` section, the profile's `endpoint_url`; all of
/// them skipped when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
/// `ignore_configured_endpoint_urls`) is `true`. Otherwise the region's endpoint in its partition,
/// FIPS and dual-stack as `AWS_USE_FIPS_ENDPOINT`/`use_fips_endpoint` and
/// `AWS_USE_DUALSTACK_ENDPOINT`/`use_dualstack_endpoint` ask. An endpoint given in code or on the
/// command line is the caller's to apply before asking here.
public struct ServiceEndpointResolver: Sendable {
    /// The region requests are signed for.
    public var region: String
    /// Whether FIPS endpoints are asked for.
    public var useFIPS: Bool
    /// Whether dual-stack (IPv6) endpoints are asked for.
    public var useDualStack: Bool
    private let environment: [String: String]
    private let profile: SharedConfigFiles.Profile?
    private let files: SharedConfigFiles

    /// Plain regional endpoints, with nothing configured: for callers that have no files to read.
    public init(region: String) {
        self.region = region
        useFIPS = false
        useDualStack = false
        environment = [:]
        profile = nil
        files = SharedConfigFiles.empty
    }

    /// Reads the FIPS and dual-stack settings; a value other than `true` or `false` is an error
    /// naming where it was set.
    public init(
        region: String, profile: SharedConfigFiles.Profile?, files: SharedConfigFiles,
        environment: [String: String]
    ) throws(DynamoDBError) {
        self.region = region
        self.environment = environment
        self.profile = profile
        self.files = files
        func flag(_ variable: String, _ key: String) throws(DynamoDBError) -> Bool {
            let sources = [
                ("environment variable \(variable)", environment[variable]),
                (
                    "\(key) in profile '\(profile?.name ?? "")' of \(files.configPath)",
                    profile?.configSettings[key]
                ),
            ]
            for (source, value) in sources {
                guard let value = value?.trimmingWhitespace(), !value.isEmpty else { continue }
                switch value.lowercased() {
                case "true": return true
                case "false": return false
                default: throw .configuration("\(source) must be true or false, not '\(value.prefix(32))'")
                }
            }
            return false
        }
        useFIPS = try flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")
        useDualStack = try flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")
        ignoresConfiguredEndpoints = try flag(
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls")
    }

    /// Whether endpoints configured in the environment and the config file are ignored.
    public private(set) var ignoresConfiguredEndpoints = false

    /// Endpoints given in code or on the command line for a service, with how they were given: they
    /// come before anything configured, and `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` does not drop them.
    public var givenEndpoints: [AWSService: (endpoint: Endpoint, source: String)] = [:]

    /// The endpoint `service` is configured to use, with where that was said, or `nil` when nothing
    /// configures one.
    public func configuredEndpoint(for service: AWSService) throws(DynamoDBError) -> (
        endpoint: Endpoint, source: String
    )? {
        if let given = givenEndpoints[service] { return given }
        guard !ignoresConfiguredEndpoints else { return nil }
        let profileName = profile?.name ?? ""
        var candidates: [(String, String?)] = [
            ("environment variable \(service.environmentVariable)", environment[service.environmentVariable]),
            ("environment variable AWS_ENDPOINT_URL", environment["AWS_ENDPOINT_URL"]),
        ]
        if let sectionName = profile?.configSettings["services"]?.trimmingWhitespace(), !sectionName.isEmpty {
            let nested = files.config.sections["services \(sectionName)"]?[service.configKey]
            candidates.append(
                (
                    "endpoint_url for \(service.configKey) in [services \(sectionName)] of \(files.configPath)",
                    nested.flatMap { Self.nestedSetting("endpoint_url", in: $0) }
                ))
        }
        candidates.append(
            (
                "endpoint_url in profile '\(profileName)' of \(files.configPath)",
                profile?.configSettings["endpoint_url"]
            ))
        for (source, value) in candidates {
            guard let url = value?.trimmingWhitespace(), !url.isEmpty else { continue }
            guard let endpoint = Endpoint(url: url) else {
                throw .configuration("\(source) is not an http(s) URL: '\(url.prefix(200))'")
            }
            return (endpoint, source)
        }
        return nil
    }

    /// The configured endpoint, else the region's.
    public func endpoint(for service: AWSService) throws(DynamoDBError) -> Endpoint {
        try configuredEndpoint(for: service)?.endpoint ?? regionalEndpoint(for: service)
    }

    /// The region's endpoint for `service` in its partition, FIPS and dual-stack applied.
    public func regionalEndpoint(for service: AWSService) -> Endpoint {
        let partition = AWSPartition.of(region: region)
        var prefix = service.hostPrefix
        // GovCloud's DynamoDB endpoints are FIPS endpoints already, under their ordinary names (the
        // DynamoDB endpoint rules); everywhere else FIPS is a `-fips` host.
        if useFIPS, !(service == .dynamoDB && partition.name == "aws-us-gov" && !useDualStack) {
            prefix += "-fips"
        }
        let suffix = useDualStack ? partition.dualStackDNSSuffix : partition.dnsSuffix
        return Endpoint(https: "\(prefix).\(region).\(suffix)")
    }

    /// The value of `key` in a nested sub-setting (`dynamodb =` followed by indented `key = value`
    /// lines, which ``INIFile`` keeps as one value with a line per setting).
    static func nestedSetting(_ key: String, in value: String) -> String? {
        for line in value.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            if String(line[..<equals]).trimmingWhitespace() == key {
                return String(line[line.index(after: equals)...]).trimmingWhitespace()
            }
        }
        return nil
    }
}

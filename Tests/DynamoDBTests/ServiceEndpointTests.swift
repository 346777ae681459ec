import AWSTestSupport
import DynamoDB
import Testing

/// Endpoints as the SDKs resolve them: the documented precedence of configured endpoints, the
/// setting that ignores them, FIPS, dual-stack and every partition's DNS suffix.
@Suite struct ServiceEndpointTests {
    static func resolver(
        region: String = "us-east-1", config: String = "", profile: String = "default",
        environment: [String: String] = [:]
    ) throws -> ServiceEndpointResolver {
        let files = try SharedConfigFiles(
            environment: ["HOME": "/home/tester"],
            fileSystem: MemoryFileSystem(files: ["/home/tester/.aws/config": config]))
        return try ServiceEndpointResolver(
            region: region, profile: files.profile(profile), files: files, environment: environment)
    }

    static let servicesConfig = """
        [default]
        endpoint_url = http://profile-global:1
        services = local
        [services local]
        dynamodb =
          endpoint_url = http://services-dynamodb:2
        sts =
          region = ignored
          endpoint_url = http://services-sts:3
        """

    @Test func precedenceIsServiceVariableGlobalVariableServicesSectionThenProfile() throws {
        let all = [
            "AWS_ENDPOINT_URL_DYNAMODB": "http://env-dynamodb:4", "AWS_ENDPOINT_URL": "http://env-global:5",
        ]
        #expect(
            try Self.resolver(config: Self.servicesConfig, environment: all).endpoint(for: .dynamoDB)
                .description
                == "http://env-dynamodb:4")
        #expect(
            try Self.resolver(
                config: Self.servicesConfig, environment: ["AWS_ENDPOINT_URL": "http://env-global:5"]
            )
            .endpoint(for: .dynamoDB).description == "http://env-global:5")
        let fromFile = try Self.resolver(config: Self.servicesConfig)
        #expect(try fromFile.endpoint(for: .dynamoDB).description == "http://services-dynamodb:2")
        #expect(try fromFile.endpoint(for: .sts).description == "http://services-sts:3")
        // A service the section does not name falls to the profile's global endpoint_url.
        #expect(try fromFile.endpoint(for: .ssoOIDC).description == "http://profile-global:1")
        #expect(
            try fromFile.configuredEndpoint(for: .sts)?.source
                == "endpoint_url for sts in [services local] of /home/tester/.aws/config")
    }

    @Test func ignoringConfiguredEndpointsLeavesTheRegions() throws {
        let ignored = try Self.resolver(
            config: Self.servicesConfig,
            environment: [
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://env-global:5",
            ])
        #expect(
            try ignored.endpoint(for: .dynamoDB).description == "https://dynamodb.us-east-1.amazonaws.com")
        let inFile = try Self.resolver(
            config: Self.servicesConfig + "\n[default]\nignore_configured_endpoint_urls = true\n")
        #expect(try inFile.endpoint(for: .sts).description == "https://sts.us-east-1.amazonaws.com")
    }

    @Test(arguments: [
        ("us-east-1", false, false, "https://dynamodb.us-east-1.amazonaws.com"),
        ("us-east-1", true, false, "https://dynamodb-fips.us-east-1.amazonaws.com"),
        ("us-east-1", false, true, "https://dynamodb.us-east-1.api.aws"),
        ("us-east-1", true, true, "https://dynamodb-fips.us-east-1.api.aws"),
        ("cn-north-1", false, false, "https://dynamodb.cn-north-1.amazonaws.com.cn"),
        ("cn-north-1", false, true, "https://dynamodb.cn-north-1.api.amazonwebservices.com.cn"),
        ("us-gov-west-1", true, false, "https://dynamodb.us-gov-west-1.amazonaws.com"),
        ("us-iso-east-1", false, false, "https://dynamodb.us-iso-east-1.c2s.ic.gov"),
        ("us-isob-east-1", false, false, "https://dynamodb.us-isob-east-1.sc2s.sgov.gov"),
        ("eu-isoe-west-1", false, false, "https://dynamodb.eu-isoe-west-1.cloud.adc-e.uk"),
        ("us-isof-south-1", false, false, "https://dynamodb.us-isof-south-1.csp.hci.ic.gov"),
        ("eusc-de-east-1", false, false, "https://dynamodb.eusc-de-east-1.amazonaws.eu"),
    ])
    func regionalEndpointsFollowThePartitionAndTheSettings(
        _ region: String, _ fips: Bool, _ dualStack: Bool, _ expected: String
    ) throws {
        let resolver = try Self.resolver(
            region: region,
            environment: ["AWS_USE_FIPS_ENDPOINT": "\(fips)", "AWS_USE_DUALSTACK_ENDPOINT": "\(dualStack)"])
        #expect(resolver.regionalEndpoint(for: .dynamoDB).description == expected)
    }

    @Test func stsFIPSAndTheProfilesSettings() throws {
        let resolver = try Self.resolver(
            region: "us-west-2",
            config: "[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = false\n")
        #expect(
            resolver.regionalEndpoint(for: .sts).description == "https://sts-fips.us-west-2.amazonaws.com")
        #expect(
            resolver.regionalEndpoint(for: .sso).description
                == "https://portal.sso-fips.us-west-2.amazonaws.com")
    }

    @Test func aSettingThatIsNotABooleanIsNamed() throws {
        let error = #expect(throws: DynamoDBError.self) {
            try Self.resolver(environment: ["AWS_USE_FIPS_ENDPOINT": "yes"])
        }
        #expect(
            "\(error!)"
                == "AWS configuration: environment variable AWS_USE_FIPS_ENDPOINT must be true or false, not 'yes'"
        )
        let badURL = #expect(throws: DynamoDBError.self) {
            try Self.resolver(
                config: "[default]\nservices = s\n[services s]\ndynamodb =\n  endpoint_url = localhost:8000\n"
            )
            .endpoint(for: .dynamoDB)
        }
        #expect("\(badURL!)".contains("endpoint_url for dynamodb in [services s]"), "\(badURL!)")
    }

    @Test func theConfigurationUsesTheResolverAndKnowsWhereSTSIs() throws {
        let files = MemoryFileSystem(files: ["/home/tester/.aws/config": Self.servicesConfig])
        let environment = [
            "HOME": "/home/tester", "AWS_REGION": "eu-west-1", "AWS_EC2_METADATA_DISABLED": "true",
        ]
        let configured = try DynamoDBConfiguration.resolve(environment: environment, fileSystem: files)
        #expect(configured.endpoint.description == "http://services-dynamodb:2")
        #expect(configured.stsEndpoint?.description == "http://services-sts:3")
        // An endpoint given for DynamoDB alone: no STS is assumed to be there.
        let local = try DynamoDBConfiguration.resolve(
            .init(endpoint: "http://127.0.0.1:8000"), environment: environment,
            fileSystem: MemoryFileSystem(files: [:]))
        #expect(local.stsEndpoint == nil)
        let regional = try DynamoDBConfiguration.resolve(
            environment: environment, fileSystem: MemoryFileSystem(files: [:]))
        #expect(regional.endpoint.description == "https://dynamodb.eu-west-1.amazonaws.com")
        #expect(regional.stsEndpoint?.description == "https://sts.eu-west-1.amazonaws.com")
    }

    /// DynamoDB Streams: the endpoint option for both APIs; a streams endpoint of its own; a DynamoDB
    /// endpoint configured alone (a local server) for streams too; else the region's streams host.
    @Test func streamsEndpointsResolveBesideDynamoDBs() throws {
        let base = ["HOME": "/home/tester", "AWS_REGION": "eu-west-1", "AWS_EC2_METADATA_DISABLED": "true"]
        let none = MemoryFileSystem(files: [:])
        let regional = try DynamoDBConfiguration.resolve(environment: base, fileSystem: none)
        #expect(regional.streamsEndpoint.description == "https://streams.dynamodb.eu-west-1.amazonaws.com")
        let given = try DynamoDBConfiguration.resolve(
            .init(endpoint: "http://127.0.0.1:8000"),
            environment: base.merging(["AWS_ENDPOINT_URL_DYNAMODB_STREAMS": "http://streams:1"]) { $1 },
            fileSystem: none)
        #expect(given.streamsEndpoint.description == "http://127.0.0.1:8000")
        let own = try DynamoDBConfiguration.resolve(
            environment: base.merging([
                "AWS_ENDPOINT_URL_DYNAMODB": "http://local:2",
                "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": "http://streams:1",
            ]) { $1 }, fileSystem: none)
        #expect(own.streamsEndpoint.description == "http://streams:1")
        let beside = try DynamoDBConfiguration.resolve(
            environment: base.merging(["AWS_ENDPOINT_URL_DYNAMODB": "http://local:2"]) { $1 },
            fileSystem: none)
        #expect(beside.streamsEndpoint.description == "http://local:2")
    }
}

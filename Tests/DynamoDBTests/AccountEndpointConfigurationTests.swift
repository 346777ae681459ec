import AWSTestSupport
import DynamoDB
import Testing

/// Where a resolved configuration sends requests for credentials that name an account: resolved,
/// never sent (no request leaves this machine).
@Suite struct AccountEndpointConfigurationTests {
    static let environment = [
        "HOME": "/home/tester", "AWS_CONFIG_FILE": "/config", "AWS_SHARED_CREDENTIALS_FILE": "/credentials",
        "AWS_EC2_METADATA_DISABLED": "true",
    ]
    static let files = MemoryFileSystem(files: [
        "/config":
            "[profile acct]\nregion = eu-west-1\n[profile off]\nregion = eu-west-1\naccount_id_endpoint_mode = disabled\n",
        "/credentials":
            "[acct]\naws_access_key_id = AKIDACCT\naws_secret_access_key = secret\naws_account_id = 111122223333\n"
            + "[off]\naws_access_key_id = AKIDOFF\naws_secret_access_key = secret\naws_account_id = 111122223333\n",
    ])

    static func endpoint(profile: String, endpoint: String? = nil) async throws -> String {
        let configuration = try DynamoDBConfiguration.resolve(
            .init(profile: profile, endpoint: endpoint), environment: environment, fileSystem: files)
        let credentials = try await configuration.resolvedCredentials()
        return try configuration.endpoint(for: credentials).description
    }

    @Test func theProfilesAccountGivesTheAccountEndpoint() async throws {
        #expect(
            try await Self.endpoint(profile: "acct") == "https://111122223333.ddb.eu-west-1.amazonaws.com")
        #expect(try await Self.endpoint(profile: "off") == "https://dynamodb.eu-west-1.amazonaws.com")
        // An endpoint given explicitly always wins.
        #expect(
            try await Self.endpoint(profile: "acct", endpoint: "http://127.0.0.1:8000")
                == "http://127.0.0.1:8000")
    }

    @Test func theEnvironmentsAccountToo() async throws {
        let configuration = try DynamoDBConfiguration.resolve(
            .init(region: "us-west-2"),
            environment: [
                "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "secret",
                "AWS_ACCOUNT_ID": "444455556666",
                "AWS_CONFIG_FILE": "/none", "AWS_SHARED_CREDENTIALS_FILE": "/none",
            ], fileSystem: MemoryFileSystem(files: [:]))
        let credentials = try await configuration.resolvedCredentials()
        #expect(
            try configuration.endpoint(for: credentials).description
                == "https://444455556666.ddb.us-west-2.amazonaws.com")
    }
}

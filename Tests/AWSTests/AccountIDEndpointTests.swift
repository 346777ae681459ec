import AWS
import AWSTestSupport
import DynamoDBModel
import Testing

/// DynamoDB's account-based endpoints as its endpoint rules choose them: the resolver alone, no request.
@Suite struct AccountIDEndpointTests {
    static func endpoint(
        _ region: String = "us-east-1", fips: Bool = false, dualStack: Bool = false,
        mode: AccountIDEndpoint.Mode = .preferred, account: String? = "123456789012"
    ) throws(DynamoDBError) -> String? {
        try AccountIDEndpoint.endpoint(
            region: region, useFIPS: fips, useDualStack: dualStack, mode: mode, accountID: account)?
            .description
    }

    @Test func theAccountEndpointWhenTheCredentialsNameAnAccount() throws {
        #expect(try Self.endpoint() == "https://123456789012.ddb.us-east-1.amazonaws.com")
        #expect(try Self.endpoint(mode: .required) == "https://123456789012.ddb.us-east-1.amazonaws.com")
        #expect(try Self.endpoint(dualStack: true) == "https://123456789012.ddb.us-east-1.api.aws")
        // The regional endpoint otherwise.
        #expect(try Self.endpoint(mode: .disabled) == nil)
        #expect(try Self.endpoint(account: nil) == nil)
        #expect(try Self.endpoint(fips: true) == nil)
        #expect(try Self.endpoint("cn-north-1") == nil)
        #expect(try Self.endpoint("us-gov-west-1") == nil)
    }

    @Test func requiredFailsWhereItCannotBeMet() {
        let cases: [(fips: Bool, region: String, account: String?, message: String)] = [
            (false, "us-east-1", nil, "carry no account id"),
            (true, "us-east-1", "123456789012", "no FIPS account endpoints"),
            (false, "cn-north-1", "123456789012", "partition aws-cn has no account endpoints"),
            (false, "us-east-1", "12345678901.2", "not a valid host name label"),
        ]
        for test in cases {
            do throws(DynamoDBError) {
                _ = try Self.endpoint(test.region, fips: test.fips, mode: .required, account: test.account)
                Issue.record("no error for \(test)")
            } catch {
                #expect(error.description.contains(test.message), "\(error)")
            }
        }
    }

    @Test func theModeComesFromTheEnvironmentBeforeTheProfile() throws {
        let files = MemoryFileSystem(files: ["/config": "[default]\naccount_id_endpoint_mode = disabled\n"])
        let profile = try SharedConfigFiles(environment: ["AWS_CONFIG_FILE": "/config"], fileSystem: files)
            .profile("default")
        #expect(try AccountIDEndpoint.mode(environment: [:], profile: nil) == .preferred)
        #expect(try AccountIDEndpoint.mode(environment: [:], profile: profile) == .disabled)
        #expect(
            try AccountIDEndpoint.mode(
                environment: ["AWS_ACCOUNT_ID_ENDPOINT_MODE": "REQUIRED"], profile: profile)
                == .required)
        #expect(throws: DynamoDBError.self) {
            try AccountIDEndpoint.mode(environment: ["AWS_ACCOUNT_ID_ENDPOINT_MODE": "always"], profile: nil)
        }
    }
}

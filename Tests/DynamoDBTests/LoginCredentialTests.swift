import AWSTestSupport
import DynamoDB
import Testing

/// `aws login` profiles (`login_session`): the credentials the AWS CLI caches under
/// `~/.aws/login/cache/SHA256(session).json`, read through the configuration as every command reads
/// them. No request is made.
@Suite struct LoginCredentialTests {
    static let session = "arn:aws:iam::111122223333:user/alice"
    /// The hex SHA-256 of ``session``, as the AWS CLI names the cache file.
    static let cacheName = "5778c30d3fe8c123cb2ab0d5a82c81b6fdcedfb868a6625f6f5bf6f05a7f129b.json"

    static func cache(expiresAt: String) -> String {
        """
        {"accessToken": {"accessKeyId": "ASIALOGIN", "secretAccessKey": "login-secret-value",
          "sessionToken": "login-session-token", "accountId": "111122223333", "expiresAt": "\(expiresAt)"},
         "tokenType": "aws_sigv4", "refreshToken": "login-refresh-token", "clientId": "arn:aws:signin:::devtools/same-device",
         "dpopKey": "-----BEGIN EC PRIVATE KEY-----\\nnot-a-real-key\\n-----END EC PRIVATE KEY-----\\n"}
        """
    }

    static func resolve(
        _ files: [String: String], environment extra: [String: String] = [:]
    ) async throws(DynamoDBError) -> (DynamoDBConfiguration, AWSCredentials) {
        let environment = [
            "HOME": "/home/tester", "AWS_CONFIG_FILE": "/config",
            "AWS_SHARED_CREDENTIALS_FILE": "/credentials",
            "AWS_EC2_METADATA_DISABLED": "true",
        ].merging(extra) { $1 }
        let all = files.merging(["/config": "[profile dev]\nregion = us-east-1\nlogin_session = \(session)\n"]
        ) { $1 }
        let configuration = try DynamoDBConfiguration.resolve(
            .init(profile: "dev"), environment: environment, fileSystem: MemoryFileSystem(files: all))
        return (configuration, try await configuration.resolvedCredentials())
    }

    @Test func theCachedCredentialsAreUsedWhileValid() async throws {
        let (configuration, credentials) = try await Self.resolve([
            "/home/tester/.aws/login/cache/\(Self.cacheName)": Self.cache(expiresAt: "2999-01-01T00:00:00Z")
        ])
        #expect(credentials.accessKeyID == "ASIALOGIN")
        #expect(credentials.sessionToken == "login-session-token")
        #expect(credentials.accountID == "111122223333")
        #expect(
            await configuration.credentialsSourceDescription().contains("aws login session of profile 'dev'"))
        // The account they carry picks the account endpoint.
        #expect(
            try configuration.endpoint(for: credentials).description
                == "https://111122223333.ddb.us-east-1.amazonaws.com")
        // AWS_LOGIN_CACHE_DIRECTORY moves the cache.
        let (_, moved) = try await Self.resolve(
            ["/elsewhere/\(Self.cacheName)": Self.cache(expiresAt: "2999-01-01T00:00:00Z")],
            environment: ["AWS_LOGIN_CACHE_DIRECTORY": "/elsewhere"])
        #expect(moved.accessKeyID == "ASIALOGIN")
    }

    @Test func expiredOrMissingSessionsSayToLogIn() async {
        for files in [
            [
                "/home/tester/.aws/login/cache/\(Self.cacheName)": Self.cache(
                    expiresAt: "2020-01-01T00:00:00Z")
            ],
            [:],
        ] {
            do throws(DynamoDBError) {
                _ = try await Self.resolve(files)
                Issue.record("no error")
            } catch {
                let text = "\(error)"
                #expect(text.contains("run aws login --profile dev"), "\(text)")
                for secret in [
                    "login-secret-value", "login-session-token", "login-refresh-token", "not-a-real-key",
                ] {
                    #expect(!text.contains(secret))
                }
            }
        }
    }
}

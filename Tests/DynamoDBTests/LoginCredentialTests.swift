import AWSTestSupport
import Crypto
import DynamoDB
import Foundation
import TestSupport
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
            // A refresh, if one were tried, goes to nothing listening on this machine, never to AWS.
            "AWS_ENDPOINT_URL_SIGNIN": "http://127.0.0.1:9",
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

/// Refreshing an `aws login` session against a local Sign-In token endpoint (`AWS_ENDPOINT_URL_SIGNIN`)
/// that checks the request as the service does: the refresh grant, the client id, and a DPoP proof
/// signed with the cached key for this POST and URL.
@Suite struct LoginRefreshTests {
    /// A P-256 key made for this test (`openssl ecparam -name prime256v1 -genkey`).
    static let dpopKey = """
        -----BEGIN EC PRIVATE KEY-----
        MHcCAQEEINtek1fnwmxYt4CvllTmhC7gWmhSTf3AlLCljdACqUC6oAoGCCqGSM49
        AwEHoUQDQgAEATFu3Jq2ugTD3Gzp5a1pYHn8nEwjiayaupSWwsj68U+Bdc6qOQEZ
        lXeyJ/wdD8tw36pxkMIK6cUJrTZMILffAw==
        -----END EC PRIVATE KEY-----
        """

    static func cache(expiresAt: String) -> String {
        let key = dpopKey.replacingOccurrences(of: "\n", with: "\\n")
        return """
            {"accessToken": {"accessKeyId": "ASIAOLD", "secretAccessKey": "old-secret-value",
              "sessionToken": "old-session-token", "accountId": "111122223333", "expiresAt": "\(expiresAt)"},
             "tokenType": "aws_sigv4", "refreshToken": "refresh-one", "idToken": "id-token-kept",
             "clientId": "arn:aws:signin:::devtools/same-device", "dpopKey": "\(key)\\n"}
            """
    }

    static func base64URLDecoded(_ text: Substring) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }

    /// Whether `proof` is a DPoP JWT for a POST to `url`, signed by the key its header names, which
    /// must be the cached key.
    static func isValidProof(_ proof: String, url: String) -> Bool {
        let parts = proof.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = base64URLDecoded(parts[0]),
            let payloadBytes = base64URLDecoded(parts[1]), let signatureBytes = base64URLDecoded(parts[2]),
            let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any],
            let payload = try? JSONSerialization.jsonObject(with: Data(payloadBytes)) as? [String: Any],
            let jwk = header["jwk"] as? [String: Any],
            let x = (jwk["x"] as? String).flatMap({ base64URLDecoded($0[...]) }),
            let y = (jwk["y"] as? String).flatMap({ base64URLDecoded($0[...]) }),
            let key = try? P256.Signing.PublicKey(rawRepresentation: x + y),
            let cachedKey = try? P256.Signing.PrivateKey(pemRepresentation: dpopKey),
            let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes)
        else { return false }
        return header["typ"] as? String == "dpop+jwt" && header["alg"] as? String == "ES256"
            && key.rawRepresentation == cachedKey.publicKey.rawRepresentation
            && key.isValidSignature(signature, for: Array("\(parts[0]).\(parts[1])".utf8))
            && payload["htm"] as? String == "POST" && payload["htu"] as? String == url
            && payload["jti"] is String && payload["iat"] is Int
    }

    @Test func nearExpiryTheSessionIsRefreshedAndTheCacheWrittenBack() async throws {
        let server = try await LocalHTTPServer.start { _, request in
            let body =
                (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: String] ?? [:]
            guard request.method == "POST", request.uri == "/v1/token",
                body == [
                    "clientId": "arn:aws:signin:::devtools/same-device", "grantType": "refresh_token",
                    "refreshToken": "refresh-one",
                ],
                let proof = request.header("DPoP"),
                LoginRefreshTests.isValidProof(proof, url: "\(serverURL(request))/v1/token")
            else {
                return .json(400, #"{"error":"INVALID_REQUEST","message":"bad request"}"#)
            }
            return .json(
                200,
                #"{"accessToken":{"accessKeyId":"ASIANEW","secretAccessKey":"new-secret-value","sessionToken":"new-session-token"},"tokenType":"aws_sigv4","expiresIn":900,"refreshToken":"refresh-two"}"#
            )
        }
        defer { Task { try? await server.stop() } }
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(
            atPath: home.path + "/.aws/login/cache", withIntermediateDirectories: true)
        let cacheFile = home.path + "/.aws/login/cache/\(LoginCredentialTests.cacheName)"
        // Two minutes left: within the five-minute refresh window.
        let soon = UTCTimestamp.now().adding(seconds: 120).description
        try Self.cache(expiresAt: soon).write(toFile: cacheFile, atomically: true, encoding: .utf8)
        try "[profile dev]\nregion = us-east-1\nlogin_session = \(LoginCredentialTests.session)\n"
            .write(toFile: home.path + "/config", atomically: true, encoding: .utf8)
        let configuration = try DynamoDBConfiguration.resolve(
            .init(profile: "dev"),
            environment: [
                "HOME": home.path, "AWS_CONFIG_FILE": home.path + "/config",
                "AWS_SHARED_CREDENTIALS_FILE": home.path + "/none", "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_ENDPOINT_URL_SIGNIN": server.url,
            ], fileSystem: LocalFileSystem())
        let credentials = try await configuration.resolvedCredentials()
        #expect(server.requests.count == 1)
        #expect(credentials.accessKeyID == "ASIANEW")
        #expect(credentials.sessionToken == "new-session-token")
        #expect(credentials.accountID == "111122223333")
        // Written back as the AWS CLI reads it, the fields it did not change kept.
        let written = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cacheFile)))
                as? [String: Any])
        let token = try #require(written["accessToken"] as? [String: String])
        #expect(token["accessKeyId"] == "ASIANEW")
        #expect(token["accountId"] == "111122223333")
        #expect(written["refreshToken"] as? String == "refresh-two")
        #expect(written["idToken"] as? String == "id-token-kept")
        #expect(written["dpopKey"] as? String == Self.dpopKey + "\n")
        let permissions =
            try FileManager.default.attributesOfItem(atPath: cacheFile)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func anEndedSessionSaysToLogInAgain() async throws {
        let server = try await LocalHTTPServer.start { _, _ in
            .json(
                401, #"{"error":"TOKEN_EXPIRED","message":"Session expired"}"#,
                headers: [("x-amzn-errortype", "AccessDeniedException")])
        }
        defer { Task { try? await server.stop() } }
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(
            atPath: home.path + "/.aws/login/cache", withIntermediateDirectories: true)
        try Self.cache(expiresAt: "2020-01-01T00:00:00Z").write(
            toFile: home.path + "/.aws/login/cache/\(LoginCredentialTests.cacheName)", atomically: true,
            encoding: .utf8)
        try "[profile dev]\nregion = us-east-1\nlogin_session = \(LoginCredentialTests.session)\n"
            .write(toFile: home.path + "/config", atomically: true, encoding: .utf8)
        let configuration = try DynamoDBConfiguration.resolve(
            .init(profile: "dev"),
            environment: [
                "HOME": home.path, "AWS_CONFIG_FILE": home.path + "/config",
                "AWS_SHARED_CREDENTIALS_FILE": home.path + "/none", "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_ENDPOINT_URL_SIGNIN": server.url,
            ], fileSystem: LocalFileSystem())
        do throws(DynamoDBError) {
            _ = try await configuration.resolvedCredentials()
            Issue.record("no error")
        } catch {
            let text = "\(error)"
            #expect(text.contains("the login session has expired: run aws login --profile dev"), "\(text)")
            for secret in ["old-secret-value", "old-session-token", "refresh-one", "MHcCAQEE"] {
                #expect(!text.contains(secret))
            }
        }
    }
}

/// The server's own URL as the client addressed it (its Host header).
private func serverURL(_ request: LocalHTTPServer.Request) -> String {
    "http://" + (request.header("Host") ?? "")
}

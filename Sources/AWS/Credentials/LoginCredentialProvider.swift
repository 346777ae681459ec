import AsyncHTTPClient
import Crypto
import DynamoDBModel
import JSON

/// Credentials of an `aws login` session (AWS Sign-In's console credentials for developer tools): a
/// profile with `login_session = ARN`, whose credentials `aws login` caches in
/// `~/.aws/login/cache/SHA256(login_session).json` (or `$AWS_LOGIN_CACHE_DIRECTORY`), as the AWS CLI
/// and the SDKs write it: `{"accessToken": {"accessKeyId", "secretAccessKey", "sessionToken",
/// "accountId", "expiresAt"}, "refreshToken", "clientId", "dpopKey", ...}`.
///
/// The cached credentials last 15 minutes; within 5 minutes of their expiry they are refreshed as
/// botocore refreshes them: Sign-In's `CreateOAuth2Token` (`POST /v1/token`, unsigned, with a DPoP
/// proof made with the cached `dpopKey`) exchanges the refresh token for new credentials and a new
/// refresh token, and the cache file is written back. When the session itself has ended (12 hours
/// after `aws login`, or a changed password) the message says `run aws login --profile NAME`. The
/// refresh token, the DPoP key and the credentials never reach a message.
public struct LoginCredentialProvider: CredentialProvider {
    private let profileName: String
    private let loginSession: String
    private let region: String
    private let environment: [String: String]
    private let fileSystem: any FileSystem
    private let network: NetworkSettings
    private let clock: @Sendable () -> UTCTimestamp

    /// How long before expiry the credentials are refreshed (the SDKs' 5 minutes).
    static let refreshWindowSeconds: Int64 = 300

    public init(
        profileName: String, loginSession: String, region: String, environment: [String: String],
        fileSystem: any FileSystem = LocalFileSystem(), network: NetworkSettings = .direct,
        clock: @escaping @Sendable () -> UTCTimestamp = { UTCTimestamp.now() }
    ) {
        self.profileName = profileName
        self.loginSession = loginSession.trimmingWhitespace()
        self.region = region
        self.environment = environment
        self.fileSystem = fileSystem
        self.network = network
        self.clock = clock
    }

    public var source: String { "aws login session of profile '\(profileName)'" }

    private var loginAgain: String { "run aws login --profile \(profileName)" }

    /// The cache file of the session: the hex SHA-256 of the `login_session` value.
    var cachePath: String? {
        let directory: String
        if let given = environment["AWS_LOGIN_CACHE_DIRECTORY"], !given.isEmpty {
            directory = given
        } else if let home = environment["HOME"], !home.isEmpty {
            directory = (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.aws/login/cache"
        } else {
            return nil
        }
        let name = SigV4Signer.hex(SHA256.hash(data: Array(loginSession.utf8)))
        return (directory.hasSuffix("/") ? String(directory.dropLast()) : directory) + "/\(name).json"
    }

    /// Sign-In's token URL: `AWS_ENDPOINT_URL_SIGNIN` (a local server in tests), else the region's.
    var tokenURL: String {
        if let given = environment["AWS_ENDPOINT_URL_SIGNIN"], !given.isEmpty {
            return (given.hasSuffix("/") ? String(given.dropLast()) : given) + "/v1/token"
        }
        let host =
            switch AWSPartition.of(region: region).name {
            case "aws-cn": "\(region).signin.amazonaws.cn"
            case "aws-us-gov": "\(region).signin.amazonaws-us-gov.com"
            default: "\(region).signin.aws.amazon.com"
            }
        return "https://\(host)/v1/token"
    }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        guard let path = cachePath else {
            throw .credentialSource(
                source: source,
                reason: "HOME is not set, so the login cache (~/.aws/login/cache) cannot be found")
        }
        guard let bytes = try fileSystem.contents(atPath: path) else {
            throw .credentialSource(source: source, reason: "not logged in (no \(path)): \(loginAgain)")
        }
        let document: JSONObject
        let cached: AWSCredentials
        do {
            guard case .object(let object) = try Self.parse(bytes) else {
                throw ValueDecodingError(path: "", message: "not a JSON object")
            }
            document = object
            cached = try Self.decode(JSONReader(.object(object)).required("accessToken"))
        } catch {
            throw .credentialSource(source: source, reason: "\(path) is not a login cache: \(error)")
        }
        let now = clock()
        let expiration = cached.expiration ?? now
        if now < expiration.adding(seconds: -Self.refreshWindowSeconds) { return cached }
        do throws(DynamoDBError) {
            return try await refresh(document, cached: cached, path: path, now: now)
        } catch {
            // Still valid for a few minutes: used while the service cannot refresh them.
            if now < expiration { return cached }
            throw error
        }
    }

    /// `CreateOAuth2Token` with the cached refresh token; writes the new credentials and refresh token
    /// back to the cache.
    private func refresh(
        _ document: JSONObject, cached: AWSCredentials, path: String, now: UTCTimestamp
    ) async throws(DynamoDBError) -> AWSCredentials {
        func field(_ name: String) throws(DynamoDBError) -> String {
            guard let value = document[name]?.stringValue, !value.isEmpty else {
                throw .credentialSource(
                    source: source,
                    reason:
                        "the login cache \(path) has no \(name), so the session cannot be refreshed: \(loginAgain)"
                )
            }
            return value
        }
        let clientID = try field("clientId")
        let refreshToken = try field("refreshToken")
        guard let proof = DPoPProof(pem: try field("dpopKey")) else {
            throw .credentialSource(
                source: source, reason: "the login cache \(path) holds no usable dpopKey: \(loginAgain)")
        }
        let url = tokenURL
        let body: JSONValue = [
            "clientId": .string(clientID), "grantType": "refresh_token",
            "refreshToken": .string(refreshToken),
        ]
        let response: MetadataRequest.Response
        do {
            let dpop = try proof.header(url: url, time: now.secondsSinceEpoch)
            response = try await MetadataRequest(
                method: .post, url: url, headers: [("Content-Type", "application/json"), ("DPoP", dpop)],
                timeout: .seconds(10), body: JSONWriter(style: .compact).bytes(from: body)
            ).send(using: Endpoint(url: url).map(network.sharedClient(for:)) ?? MetadataRequest.client)
        } catch {
            let (kind, reason) = TransportErrorKind.classify(
                error, timeout: .seconds(10), route: Endpoint(url: url).map(network.route(to:)))
            throw .credentialSource(
                source: source,
                reason: TransportFailure(
                    kind: kind, reason: reason, endpoint: url, operation: "CreateOAuth2Token"
                )
                .description)
        }
        let answer = try? Self.parse(response.body)
        guard response.status == 200 else {
            let code = answer?["error"]?.stringValue ?? ""
            let reason =
                switch code {
                case "TOKEN_EXPIRED": "the login session has expired: \(loginAgain)"
                case "USER_CREDENTIALS_CHANGED": "the password changed since aws login: \(loginAgain)"
                case "INSUFFICIENT_PERMISSIONS":
                    "refreshing needs permission for signin:CreateOAuth2Token (HTTP \(response.status))"
                default:
                    "CreateOAuth2Token at \(url) answered HTTP \(response.status)\(code.isEmpty ? "" : " (\(code))")"
                }
            throw .credentialSource(source: source, reason: reason)
        }
        var updated = document
        let credentials: AWSCredentials
        do {
            // rest-json: the body is the `tokenOutput` member itself.
            let reader = JSONReader(answer ?? .null)
            let token = try reader.required("accessToken")
            let expiresIn = try reader.required("expiresIn").int()
            credentials = AWSCredentials(
                accessKeyID: try token.required("accessKeyId").string(),
                secretAccessKey: try token.required("secretAccessKey").string(),
                sessionToken: try token.required("sessionToken").string(),
                expiration: now.adding(seconds: Int64(clamping: expiresIn)), accountID: cached.accountID)
            updated["refreshToken"] = .string(try reader.required("refreshToken").string())
        } catch {
            throw .credentialSource(
                source: source, reason: "CreateOAuth2Token gave an unexpected answer: \(error)")
        }
        var accessToken: [(String, JSONValue)] = [
            ("accessKeyId", .string(credentials.accessKeyID)),
            ("secretAccessKey", .string(credentials.secretAccessKey)),
            ("sessionToken", .string(credentials.sessionToken ?? "")),
        ]
        if let account = cached.accountID { accessToken.append(("accountId", .string(account))) }
        accessToken.append(("expiresAt", .string(credentials.expiration?.description ?? "")))
        updated["accessToken"] = .object(JSONObject(accessToken))
        try fileSystem.write(
            JSONWriter(style: .compact).bytes(from: .object(updated)), toPath: path, mode: 0o600)
        return credentials
    }

    private static func parse(_ bytes: [UInt8]) throws(ValueDecodingError) -> JSONValue {
        do {
            return try JSONParser().parse(bytes: bytes)
        } catch {
            throw ValueDecodingError(path: "", message: "not JSON (invalid at byte \(error.offset))")
        }
    }

    /// The cache's `accessToken` object. Errors name the field, never a value.
    static func decode(_ token: JSONReader) throws(ValueDecodingError) -> AWSCredentials {
        let expiresAt = try token.required("expiresAt").string()
        guard let expiration = UTCTimestamp(iso8601: expiresAt) else {
            throw ValueDecodingError(path: "accessToken.expiresAt", message: "not an ISO 8601 date")
        }
        return AWSCredentials(
            accessKeyID: try token.required("accessKeyId").string(),
            secretAccessKey: try token.required("secretAccessKey").string(),
            sessionToken: try token.required("sessionToken").string(), expiration: expiration,
            accountID: try token.optionalString("accountId"))
    }
}

import Crypto
import DynamoDBModel
import JSON

/// Credentials of an `aws login` session (AWS Sign-In's console credentials for developer tools): a
/// profile with `login_session = ARN`, whose credentials `aws login` caches in
/// `~/.aws/login/cache/SHA256(login_session).json` (or `$AWS_LOGIN_CACHE_DIRECTORY`), as the AWS CLI
/// and the SDKs write it: `{"accessToken": {"accessKeyId", "secretAccessKey", "sessionToken",
/// "accountId", "expiresAt"}, "refreshToken", "clientId", "dpopKey", ...}`.
///
/// The cached credentials are used while they are valid. Refreshing them (Sign-In's
/// `CreateOAuth2Token` with the refresh token and a DPoP proof) is not done yet: expired credentials
/// fail with one message, `run aws login --profile NAME`. The refresh token, the DPoP key and the
/// credentials never reach a message.
public struct LoginCredentialProvider: CredentialProvider {
    private let profileName: String
    private let loginSession: String
    private let environment: [String: String]
    private let fileSystem: any FileSystem
    private let clock: @Sendable () -> UTCTimestamp

    public init(
        profileName: String, loginSession: String, environment: [String: String],
        fileSystem: any FileSystem = LocalFileSystem(),
        clock: @escaping @Sendable () -> UTCTimestamp = { UTCTimestamp.now() }
    ) {
        self.profileName = profileName
        self.loginSession = loginSession.trimmingWhitespace()
        self.environment = environment
        self.fileSystem = fileSystem
        self.clock = clock
    }

    public var source: String { "aws login session of profile '\(profileName)'" }

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

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        let login = "run aws login --profile \(profileName)"
        guard let path = cachePath else {
            throw .credentialSource(
                source: source,
                reason: "HOME is not set, so the login cache (~/.aws/login/cache) cannot be found")
        }
        guard let bytes = try fileSystem.contents(atPath: path) else {
            throw .credentialSource(source: source, reason: "not logged in (no \(path)): \(login)")
        }
        let credentials: AWSCredentials
        do {
            credentials = try Self.decode(bytes)
        } catch {
            throw .credentialSource(source: source, reason: "\(path) is not a login cache: \(error)")
        }
        if let expiration = credentials.expiration, !(clock() < expiration) {
            throw .credentialSource(
                source: source,
                reason: "the login session's credentials expired at \(expiration) (refreshing them is not "
                    + "supported yet): \(login)")
        }
        return credentials
    }

    /// The `accessToken` object of a cache file. Errors name the field, never a value.
    static func decode(_ bytes: [UInt8]) throws(ValueDecodingError) -> AWSCredentials {
        let document: JSONValue
        do {
            document = try JSONParser().parse(bytes: bytes)
        } catch {
            throw ValueDecodingError(path: "", message: "not JSON (invalid at byte \(error.offset))")
        }
        let token = try JSONReader(document).required("accessToken")
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

import Crypto
import DynamoDBModel
import JSON

/// The aws CLI's cache of IAM Identity Center (SSO) access tokens: `$HOME/.aws/sso/cache/<key>.json`,
/// where the key is the hex SHA-1 of the `sso_session` name (or, for a legacy profile, of its
/// `sso_start_url`), as `aws sso login` writes it and botocore's `SSOTokenLoader` reads it.
///
/// A file that is missing, not JSON, or without `accessToken` and `expiresAt` holds no usable token
/// (botocore treats all of these as "not logged in"). Messages name the file, never its contents.
struct SSOTokenCache: Sendable {
    /// One cached token with the client registration that can refresh it.
    struct Token: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
        CustomReflectable
    {
        var accessToken: String
        var expiresAt: UTCTimestamp
        var refreshToken: String?
        var clientID: String?
        var clientSecret: String?
        /// Kept as the text the file holds, since it is written back unchanged.
        var registrationExpiresAt: String?
        var startURL: String?
        var region: String?

        /// The cache file's JSON, with botocore's member names and order.
        var json: JSONValue {
            var members: [(String, JSONValue)] = []
            if let startURL { members.append(("startUrl", .string(startURL))) }
            if let region { members.append(("region", .string(region))) }
            members.append(("accessToken", .string(accessToken)))
            members.append(("expiresAt", .string(expiresAt.description)))
            if let clientID { members.append(("clientId", .string(clientID))) }
            if let clientSecret { members.append(("clientSecret", .string(clientSecret))) }
            if let registrationExpiresAt {
                members.append(("registrationExpiresAt", .string(registrationExpiresAt)))
            }
            if let refreshToken { members.append(("refreshToken", .string(refreshToken))) }
            return .object(JSONObject(members))
        }

        var description: String {
            "SSO token (accessToken: <redacted>, expiresAt: \(expiresAt), refreshToken: "
                + (refreshToken == nil ? "none" : "<redacted>") + ")"
        }

        var debugDescription: String { description }

        var customMirror: Mirror {
            Mirror(self, children: ["redacted": description], displayStyle: .struct)
        }
    }

    /// `$HOME/.aws/sso/cache`.
    let directory: String
    private let fileSystem: any FileSystem

    /// The cache below the environment's `HOME`.
    init(environment: [String: String], fileSystem: any FileSystem) throws(DynamoDBError) {
        guard let home = environment["HOME"], !home.isEmpty else {
            throw .configuration("HOME is not set, so the SSO token cache (~/.aws/sso/cache) cannot be found")
        }
        directory = (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.aws/sso/cache"
        self.fileSystem = fileSystem
    }

    /// The file for the session name or start URL `key`: `<directory>/<hex SHA-1 of key>.json`.
    func path(forKey key: String) -> String {
        "\(directory)/\(SigV4Signer.hex(Insecure.SHA1.hash(data: Array(key.utf8)))).json"
    }

    /// The token cached for `key`, or `nil` when there is none that can be used.
    func token(forKey key: String) throws(DynamoDBError) -> Token? {
        guard let bytes = try fileSystem.contents(atPath: path(forKey: key)),
            let document = try? JSONParser().parse(bytes: bytes),
            case .object(let object) = document
        else { return nil }
        func string(_ name: String) -> String? { object[name]?.stringValue }
        guard let accessToken = string("accessToken"), !accessToken.isEmpty,
            let expiresAt = string("expiresAt").flatMap({ UTCTimestamp(iso8601: $0) })
        else { return nil }
        return Token(
            accessToken: accessToken, expiresAt: expiresAt, refreshToken: string("refreshToken"),
            clientID: string("clientId"), clientSecret: string("clientSecret"),
            registrationExpiresAt: string("registrationExpiresAt"), startURL: string("startUrl"),
            region: string("region"))
    }

    /// Replaces the cached token for `key`, readable by its owner only (0600).
    func save(_ token: Token, forKey key: String) throws(DynamoDBError) {
        let bytes = JSONWriter(style: .compact).bytes(from: token.json)
        try fileSystem.write(bytes, toPath: path(forKey: key), mode: 0o600)
    }
}

import AsyncHTTPClient
import DynamoDBModel
import JSON
import NIOCore

/// IAM Identity Center (SSO) credentials for a profile, as botocore's `SSOProvider` gets them: the
/// access token `aws sso login` cached (``SSOTokenCache``), then the portal's `GetRoleCredentials` for
/// the profile's `sso_account_id` and `sso_role_name`.
///
/// Two forms of profile:
/// - `sso_session = NAME`, with `sso_start_url` and `sso_region` in the config file's
///   `[sso-session NAME]` section. The token is cached under the session's name and, within 15
///   minutes of its expiry, refreshed through SSO-OIDC `CreateToken` with its refresh token and client
///   registration (the cache file is then rewritten, as the aws CLI does). When the refresh fails
///   while the token is still valid, the token is used.
/// - the legacy form, `sso_start_url` and `sso_region` in the profile itself: the token is cached
///   under the start URL and never refreshed.
///
/// `AWS_ENDPOINT_URL_SSO` and `AWS_ENDPOINT_URL_SSO_OIDC` replace the portal's and SSO-OIDC's regional
/// endpoints. A missing, expired or refused token is one message: run `aws sso login --profile NAME`.
/// No message holds a token, a secret or a line of the cache file.
public struct SSOCredentialProvider: CredentialProvider {
    /// How close to its expiry a token is refreshed (botocore's refresh window).
    static let refreshWindowSeconds: Int64 = 15 * 60
    /// The time limit of each request to the portal and to SSO-OIDC, in seconds.
    static let timeoutSeconds: Int64 = 10

    private let profileName: String
    private let files: SharedConfigFiles
    private let environment: [String: String]
    private let fileSystem: any FileSystem
    /// The client every request uses when one was given (tests); otherwise each request's is chosen by
    /// `network` for its URL.
    private let httpClient: HTTPClient?
    private let network: NetworkSettings
    private let clock: @Sendable () -> UTCTimestamp

    public init(
        profileName: String, files: SharedConfigFiles, environment: [String: String],
        fileSystem: any FileSystem = LocalFileSystem(), httpClient: HTTPClient? = nil,
        network: NetworkSettings = .direct,
        clock: @escaping @Sendable () -> UTCTimestamp = { UTCTimestamp.now() }
    ) {
        self.profileName = profileName
        self.files = files
        self.environment = environment
        self.fileSystem = fileSystem
        self.httpClient = httpClient
        self.network = network
        self.clock = clock
    }

    /// `SSO profile 'dev' (sso_session 'corp')`, or `(sso_start_url https://...)` for the legacy form.
    public var source: String {
        let profile = files.profile(profileName)
        if let session = Self.nonEmpty(profile?["sso_session"]) {
            return "SSO profile '\(profileName)' (sso_session '\(session)')"
        }
        if let startURL = Self.nonEmpty(profile?["sso_start_url"]) {
            return "SSO profile '\(profileName)' (sso_start_url \(startURL))"
        }
        return "SSO profile '\(profileName)'"
    }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        guard let settings = try settings() else { return nil }
        let portal = try endpoint(
            variable: "AWS_ENDPOINT_URL_SSO", service: "portal.sso", region: settings.region)
        let cache = try SSOTokenCache(environment: environment, fileSystem: fileSystem)
        let token = try await accessToken(settings, cache: cache)
        return try await roleCredentials(settings, token: token, portal: portal)
    }

    // MARK: - Settings

    /// What the profile (and its `[sso-session]` section) say.
    struct Settings {
        /// The `sso_session` name; `nil` for the legacy form.
        var sessionName: String?
        var startURL: String
        var region: String
        var accountID: String
        var roleName: String

        /// What the cached token's file is named after.
        var cacheKey: String { sessionName ?? startURL }
    }

    /// The profile's SSO settings, `nil` when it has none; an error naming each missing key.
    func settings() throws(DynamoDBError) -> Settings? {
        guard let profile = files.profile(profileName) else { return nil }
        let keys = ["sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name"]
        var values: [String: String] = [:]
        for key in keys { values[key] = Self.nonEmpty(profile[key]) }
        guard !values.isEmpty else { return nil }
        let place = "profile '\(profileName)' of \(files.configPath)"

        var startURL = values["sso_start_url"]
        var region = values["sso_region"]
        let sessionName = values["sso_session"]
        if let sessionName {
            let sectionName = "[sso-session \(sessionName)]"
            guard let section = files.ssoSession(sessionName) else {
                throw .configuration(
                    "\(place) names sso_session '\(sessionName)', but \(files.configPath) has no "
                        + "\(sectionName) section")
            }
            var missing: [String] = []
            for (key, profileValue) in [("sso_start_url", startURL), ("sso_region", region)] {
                guard let sessionValue = Self.nonEmpty(section[key]) else {
                    missing.append(key)
                    continue
                }
                if let profileValue, profileValue != sessionValue {
                    throw .configuration(
                        "\(place) sets \(key) to '\(profileValue)' but its \(sectionName) sets "
                            + "'\(sessionValue)'; remove it from the profile")
                }
            }
            if !missing.isEmpty {
                throw .configuration(
                    "\(sectionName) of \(files.configPath) (sso_session of profile '\(profileName)') is "
                        + "missing \(missing.joined(separator: ", "))")
            }
            startURL = Self.nonEmpty(section["sso_start_url"])
            region = Self.nonEmpty(section["sso_region"])
        }
        var missing: [String] = []
        if startURL == nil {
            missing.append("sso_session (or the legacy sso_start_url and sso_region)")
        } else if region == nil {
            missing.append("sso_region")
        }
        missing += ["sso_account_id", "sso_role_name"].filter { values[$0] == nil }
        guard let startURL, let region, let accountID = values["sso_account_id"],
            let roleName = values["sso_role_name"], missing.isEmpty
        else {
            throw .configuration(
                "\(place) uses IAM Identity Center (SSO) but is missing \(missing.joined(separator: ", "))")
        }
        // The region becomes part of the endpoints' host names.
        guard region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw .configuration("sso_region of \(place) is not a region name: '\(region.prefix(64))'")
        }
        return Settings(
            sessionName: sessionName, startURL: startURL, region: region, accountID: accountID,
            roleName: roleName)
    }

    /// The URL `variable` names, else `https://<service>.<region>.amazonaws.com` (`.com.cn` in China).
    private func endpoint(variable: String, service: String, region: String) throws(DynamoDBError) -> String {
        guard var url = Self.nonEmpty(environment[variable]) else {
            let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
            return "https://\(service).\(region).\(suffix)"
        }
        guard Endpoint(url: url) != nil, !url.contains("?") else {
            throw .configuration("\(variable) is not an http(s) URL: '\(url)'")
        }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    // MARK: - The access token

    /// The cached access token, refreshed first when it is close to expiry and can be.
    private func accessToken(_ settings: Settings, cache: SSOTokenCache) async throws(DynamoDBError) -> String
    {
        guard var token = try cache.token(forKey: settings.cacheKey) else { throw notLoggedIn() }
        let now = clock()
        var refreshFailure: String?
        if settings.sessionName != nil,
            token.expiresAt.secondsSinceEpoch - now.secondsSinceEpoch < Self.refreshWindowSeconds
        {
            switch try await refreshed(token, settings, now: now) {
            case .impossible:
                break
            case .failed(let reason):
                refreshFailure = reason
            case .refreshed(let newToken):
                do {
                    try cache.save(newToken, forKey: settings.cacheKey)
                } catch {
                    throw .credentialSource(
                        source: source, reason: "cannot save the refreshed SSO token: \(error)")
                }
                token = newToken
            }
        }
        guard now < token.expiresAt else { throw notLoggedIn(refreshFailure: refreshFailure) }
        return token.accessToken
    }

    private enum Refresh {
        /// The token has no refresh token or client registration, or the registration has expired.
        case impossible
        /// `CreateToken` failed; why, without secrets.
        case failed(String)
        case refreshed(SSOTokenCache.Token)
    }

    /// SSO-OIDC `CreateToken` with the `refresh_token` grant, as botocore's `SSOTokenProvider`.
    private func refreshed(
        _ token: SSOTokenCache.Token, _ settings: Settings, now: UTCTimestamp
    ) async throws(DynamoDBError) -> Refresh {
        guard let refreshToken = token.refreshToken, let clientID = token.clientID,
            let clientSecret = token.clientSecret, let registrationExpiry = token.registrationExpiresAt,
            let registrationExpiresAt = UTCTimestamp(iso8601: registrationExpiry), now < registrationExpiresAt
        else { return .impossible }
        let url =
            try endpoint(variable: "AWS_ENDPOINT_URL_SSO_OIDC", service: "oidc", region: settings.region)
            + "/token"
        let body: JSONValue = [
            "grantType": "refresh_token", "clientId": .string(clientID),
            "clientSecret": .string(clientSecret),
            "refreshToken": .string(refreshToken),
        ]
        let secrets = [token.accessToken, refreshToken, clientSecret]
        let response: MetadataRequest.Response
        do {
            response = try await MetadataRequest(
                method: .post, url: url, headers: [("Content-Type", "application/json")],
                timeout: .seconds(Self.timeoutSeconds), body: JSONWriter().bytes(from: body)
            ).send(using: client(for: url))
        } catch {
            return .failed(
                Self.transportFailure(error, operation: "CreateToken", endpoint: url, route: route(to: url)))
        }
        guard response.status == 200 else {
            return .failed(
                Self.httpFailure(response, operation: "CreateToken", endpoint: url, secrets: secrets))
        }
        do {
            let reader = JSONReader(try Self.parse(response.body))
            let expiresIn = try reader.required("expiresIn").int()
            return .refreshed(
                SSOTokenCache.Token(
                    accessToken: try reader.required("accessToken").string(),
                    expiresAt: now.adding(seconds: Int64(expiresIn)),
                    refreshToken: try reader.optionalString("refreshToken"), clientID: clientID,
                    clientSecret: clientSecret, registrationExpiresAt: registrationExpiry,
                    startURL: settings.startURL, region: settings.region))
        } catch {
            return .failed("CreateToken at \(url) gave an unexpected answer: \(error)")
        }
    }

    // MARK: - The role's credentials

    /// The portal's `GetRoleCredentials` for the profile's account and role.
    private func roleCredentials(
        _ settings: Settings, token: String, portal: String
    ) async throws(DynamoDBError) -> AWSCredentials {
        let query =
            "role_name=\(SigV4Signer.percentEncode(settings.roleName, keepingSlashes: false))"
            + "&account_id=\(SigV4Signer.percentEncode(settings.accountID, keepingSlashes: false))"
        let url = "\(portal)/federation/credentials?\(query)"
        let response: MetadataRequest.Response
        do {
            response = try await MetadataRequest(
                url: url, headers: [("x-amz-sso_bearer_token", token)], timeout: .seconds(Self.timeoutSeconds)
            ).send(using: client(for: url))
        } catch {
            throw .credentialSource(
                source: source,
                reason: Self.transportFailure(
                    error, operation: "GetRoleCredentials", endpoint: portal, route: route(to: url)))
        }
        let error = Self.serviceError(response.body, secrets: [token])
        switch response.status {
        case 200:
            break
        case 401:
            throw notLoggedIn()
        case 403 where error.code != "UnauthorizedException":
            throw .credentialSource(
                source: source,
                reason: "IAM Identity Center refused role '\(settings.roleName)' in account "
                    + "\(settings.accountID) (\(error.text ?? "HTTP 403")): check sso_account_id and "
                    + "sso_role_name, and that your user is assigned that role")
        case 403:
            throw notLoggedIn()
        default:
            throw .credentialSource(
                source: source,
                reason: Self.httpFailure(
                    response, operation: "GetRoleCredentials", endpoint: portal, secrets: [token]))
        }
        do {
            var credentials = try Self.decodeRoleCredentials(response.body)
            credentials.accountID = settings.accountID  // the account the role was asked of
            return credentials
        } catch {
            throw .credentialSource(
                source: source, reason: "GetRoleCredentials at \(portal) gave an unexpected answer: \(error)")
        }
    }

    /// `{"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken", "expiration"}}`, the
    /// expiration in milliseconds since 1970. Errors name the field, never a value.
    static func decodeRoleCredentials(_ bytes: [UInt8]) throws(ValueDecodingError) -> AWSCredentials {
        let credentials = try JSONReader(try parse(bytes)).required("roleCredentials")
        let milliseconds = try credentials.required("expiration").int()
        return AWSCredentials(
            accessKeyID: try credentials.required("accessKeyId").string(),
            secretAccessKey: try credentials.required("secretAccessKey").string(),
            sessionToken: try credentials.optionalString("sessionToken"),
            expiration: UTCTimestamp(secondsSinceEpoch: Int64(milliseconds) / 1000))
    }

    // MARK: - Messages

    /// The client a request to `url` goes through: the given one, else the network settings' choice.
    private func client(for url: String) -> HTTPClient {
        if let httpClient { return httpClient }
        return Endpoint(url: url).map(network.sharedClient(for:)) ?? MetadataRequest.client
    }

    private func route(to url: String) -> ConnectionRoute? {
        Endpoint(url: url).map(network.route(to:))
    }

    /// The one message for a token that is missing, expired, or refused by the portal.
    private func notLoggedIn(refreshFailure: String? = nil) -> DynamoDBError {
        var reason =
            "the SSO session for profile '\(profileName)' has expired or is not logged in: run aws sso login "
            + "--profile \(Self.shellWord(profileName))"
        if let refreshFailure { reason += " (refreshing the token failed: \(refreshFailure))" }
        return .credentialSource(source: "IAM Identity Center", reason: reason)
    }

    private static func parse(_ bytes: [UInt8]) throws(ValueDecodingError) -> JSONValue {
        do {
            return try JSONParser().parse(bytes: bytes)
        } catch {
            throw ValueDecodingError(path: "", message: "not JSON (invalid at byte \(error.offset))")
        }
    }

    /// `GetRoleCredentials: connection refused by <endpoint> (...)`.
    private static func transportFailure(
        _ error: any Error, operation: String, endpoint: String, route: ConnectionRoute?
    ) -> String {
        let (kind, reason) = TransportErrorKind.classify(
            error, timeout: .seconds(timeoutSeconds), route: route)
        return TransportFailure(kind: kind, reason: reason, endpoint: endpoint, operation: operation)
            .description
    }

    /// `CreateToken at <url> answered HTTP 400 (invalid_grant)`.
    private static func httpFailure(
        _ response: MetadataRequest.Response, operation: String, endpoint: String, secrets: [String]
    ) -> String {
        var text = "\(operation) at \(endpoint) answered HTTP \(response.status)"
        if let detail = serviceError(response.body, secrets: secrets).text { text += " (\(detail))" }
        return text
    }

    /// The error code and message of an AWS JSON error body (`__type` and `message`, or OAuth's `error`
    /// and `error_description`): short, and left out when it would repeat one of `secrets`.
    private static func serviceError(_ body: [UInt8], secrets: [String]) -> (code: String?, text: String?) {
        guard case .object(let object)? = try? JSONParser().parse(bytes: body) else { return (nil, nil) }
        let code = (object["__type"] ?? object["error"])?.stringValue.map { type in
            String(type.split(separator: "#").last ?? "")
        }
        let message = (object["message"] ?? object["Message"] ?? object["error_description"])?.stringValue
        let parts = [code, message].compactMap { $0 }.filter { part in
            !part.isEmpty && !secrets.contains { !$0.isEmpty && part.contains($0) }
        }
        let text = parts.isEmpty ? nil : String(parts.joined(separator: ": ").prefix(200))
        return (code, text)
    }

    /// `name`, quoted for a shell when it needs to be.
    private static func shellWord(_ name: String) -> String {
        let plain = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.@+=:,/".contains($0)) }
        if plain && !name.isEmpty { return name }
        return "'" + name.replacing("'", with: "'\\''") + "'"
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value = value?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }
}

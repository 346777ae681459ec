import AWS
import AWSTestSupport
import Foundation
import Synchronization
import TestSupport
import Testing

/// A small IAM Identity Center on a local server: the portal's `GetRoleCredentials` under `/portal`
/// and SSO-OIDC's `CreateToken` under `/oidc`. The portal accepts only the bearer tokens it knows; the
/// OIDC service only the refresh grant of the known client, and then makes the new token known.
final class FakeIdentityCenter: Sendable {
    static let accountID = "111122223333"
    static let roleName = "ReadOnly"
    static let clientID = "client-id-1"
    static let clientSecret = "client-secret-SECRET3"
    static let refreshedToken = "refreshed-access-token-SECRET4"
    static let rotatedRefreshToken = "rotated-refresh-token-SECRET5"
    static let roleSecret = "role-secret-SECRET6"
    static let roleSessionToken = "role-session-SECRET7"
    static let roleExpirationMilliseconds: Int64 = 1_780_329_600_123

    let server: LocalHTTPServer
    private let state: State

    private init(server: LocalHTTPServer, state: State) {
        self.server = server
        self.state = state
    }

    /// Starts the server; the portal knows `knownTokens`, CreateToken accepts `refreshToken` (none
    /// when empty).
    static func start(knownTokens: Set<String>, refreshToken: String = "") async throws -> FakeIdentityCenter
    {
        let state = State(knownTokens: knownTokens)
        let server = try await LocalHTTPServer.start { _, request in
            state.answer(request, refreshToken: refreshToken)
        }
        return FakeIdentityCenter(server: server, state: state)
    }

    /// Makes the portal answer `action` to every GetRoleCredentials.
    func portalAnswers(_ action: LocalHTTPServer.Action) {
        state.portalAnswer.withLock { $0 = action }
    }

    /// `HOME`, and the two endpoint variables pointing at this server.
    func environment(home: String) -> [String: String] {
        [
            "HOME": home, "AWS_ENDPOINT_URL_SSO": "\(server.url)/portal/",
            "AWS_ENDPOINT_URL_SSO_OIDC": "\(server.url)/oidc",
        ]
    }

    /// The bearer tokens the portal was asked with, in order.
    var bearerTokens: [String?] {
        server.requests.filter { $0.uri.hasPrefix("/portal/") }.map { $0.header("x-amz-sso_bearer_token") }
    }

    /// Method and path of every request, in order.
    var calls: [String] { server.requests.map { "\($0.method) \($0.uri)" } }

    func stop() async {
        try? await server.stop()
    }

    fileprivate final class State: Sendable {
        let knownTokens: Mutex<Set<String>>
        let portalAnswer = Mutex<LocalHTTPServer.Action?>(nil)

        init(knownTokens: Set<String>) {
            self.knownTokens = Mutex(knownTokens)
        }

        func answer(_ request: LocalHTTPServer.Request, refreshToken: String) -> LocalHTTPServer.Action {
            let center = FakeIdentityCenter.self
            let credentialsPath =
                "/portal/federation/credentials?role_name=\(center.roleName)&account_id=\(center.accountID)"
            switch (request.method, request.uri) {
            case ("GET", credentialsPath):
                if let action = portalAnswer.withLock({ $0 }) { return action }
                let token = request.header("x-amz-sso_bearer_token") ?? ""
                guard knownTokens.withLock({ $0.contains(token) }) else {
                    return .json(
                        401, #"{"message":"Session token not found or invalid"}"#,
                        headers: [("x-amzn-ErrorType", "UnauthorizedException")])
                }
                return .json(
                    200,
                    #"{"roleCredentials":{"accessKeyId":"ASIAROLEEXAMPLE","secretAccessKey":"\#(center.roleSecret)","#
                        + #""sessionToken":"\#(center.roleSessionToken)","expiration":\#(center.roleExpirationMilliseconds)}}"#
                )
            case ("POST", "/oidc/token"):
                let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: String]
                let expected = [
                    "grantType": "refresh_token", "clientId": center.clientID,
                    "clientSecret": center.clientSecret,
                    "refreshToken": refreshToken,
                ]
                guard !refreshToken.isEmpty, body == expected,
                    request.header("Content-Type") == "application/json"
                else {
                    return .json(
                        400, #"{"error":"invalid_grant","error_description":"Invalid grant provided"}"#)
                }
                knownTokens.withLock { _ = $0.insert(center.refreshedToken) }
                return .json(
                    200,
                    #"{"accessToken":"\#(center.refreshedToken)","tokenType":"Bearer","expiresIn":28800,"#
                        + #""refreshToken":"\#(center.rotatedRefreshToken)"}"#)
            default:
                return .json(404, #"{"message":"no such route"}"#)
            }
        }
    }
}

/// A temporary home directory with an aws config file and the CLI's SSO token cache.
final class SSOHome {
    /// `hashlib.sha1(b"corp").hexdigest()`: the cache file of `sso_session = corp`.
    static let sessionKey = "ee0bfd2552fbd840c02cc48b6e823320543c450f"
    /// `hashlib.sha1(b"https://example.awsapps.com/start").hexdigest()`: the legacy profile's file.
    static let startURLKey = "e8be5486177c5b5392bd9aa76563515b29358e6e"
    static let cachedToken = "cached-access-token-SECRET1"
    static let refreshToken = "cached-refresh-token-SECRET2"

    static let config = """
        [profile dev]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = ReadOnly
        region = eu-west-1

        [sso-session corp]
        sso_start_url = https://example.awsapps.com/start
        sso_region = us-east-1
        sso_registration_scopes = sso:account:access

        [profile legacy]
        sso_start_url = https://example.awsapps.com/start
        sso_region = us-east-1
        sso_account_id = 111122223333
        sso_role_name = ReadOnly

        [profile plain]
        aws_access_key_id = AKIDPLAIN
        aws_secret_access_key = plainsecret

        """

    private let directory: TemporaryDirectory
    var path: String { directory.path }
    var cacheDirectory: String { "\(path)/.aws/sso/cache" }

    init(config: String = SSOHome.config) throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        try config.write(toFile: "\(path)/.aws/config", atomically: true, encoding: .utf8)
    }

    func tokenPath(_ key: String) -> String { "\(cacheDirectory)/\(key).json" }

    /// Writes a cache file as `aws sso login` does.
    func cacheToken(
        _ key: String = SSOHome.sessionKey, accessToken: String = SSOHome.cachedToken, expiresAt: String,
        refreshToken: String? = SSOHome.refreshToken, registrationExpiresAt: String = "2026-09-01T00:00:00Z"
    ) throws {
        var token: [String: String] = [
            "startUrl": "https://example.awsapps.com/start", "region": "us-east-1",
            "accessToken": accessToken,
            "expiresAt": expiresAt, "clientId": FakeIdentityCenter.clientID,
            "clientSecret": FakeIdentityCenter.clientSecret, "registrationExpiresAt": registrationExpiresAt,
        ]
        token["refreshToken"] = refreshToken
        try JSONSerialization.data(withJSONObject: token).write(to: URL(fileURLWithPath: tokenPath(key)))
    }

    func tokenFile(_ key: String = SSOHome.sessionKey) throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: tokenPath(key)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
    }

    func tokenFileBytes(_ key: String = SSOHome.sessionKey) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: tokenPath(key)))
    }
}

@Suite struct SSOCredentialTests {
    /// The moment every test runs at: 2026-06-01T12:00:00Z.
    static let now = UTCTimestamp(year: 2026, month: 6, day: 1, hour: 12)!
    static let secrets = [
        SSOHome.cachedToken, SSOHome.refreshToken, FakeIdentityCenter.clientSecret,
        FakeIdentityCenter.refreshedToken, FakeIdentityCenter.rotatedRefreshToken,
        FakeIdentityCenter.roleSecret,
        FakeIdentityCenter.roleSessionToken, "SECRET",
    ]

    static func loginMessage(_ profile: String) -> String {
        "the SSO session for profile '\(profile)' has expired or is not logged in: run aws sso login "
            + "--profile \(profile)"
    }

    /// `now` moved by `seconds`, as the cache writes it.
    static func at(_ seconds: Int64) -> String { now.adding(seconds: seconds).description }

    func provider(
        _ profile: String, home: SSOHome, center: FakeIdentityCenter,
        environment extra: [String: String] = [:]
    ) throws -> SSOCredentialProvider {
        let environment = center.environment(home: home.path).merging(extra) { $1 }
        let files = try SharedConfigFiles(environment: environment, fileSystem: LocalFileSystem())
        return SSOCredentialProvider(
            profileName: profile, files: files, environment: environment, clock: { Self.now })
    }

    /// The description of the error `provider` throws, checked to hold no secret.
    func failure(
        _ provider: SSOCredentialProvider, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> String {
        do {
            let credentials = try await provider.credentials()
            Issue.record(
                "expected an error, got \(String(describing: credentials))", sourceLocation: sourceLocation)
            return ""
        } catch {
            let text = "\(error)"
            for secret in Self.secrets {
                #expect(!text.contains(secret), "\(text)", sourceLocation: sourceLocation)
            }
            return text
        }
    }

    func expectRoleCredentials(_ credentials: AWSCredentials?) {
        #expect(credentials?.accessKeyID == "ASIAROLEEXAMPLE")
        #expect(credentials?.secretAccessKey == FakeIdentityCenter.roleSecret)
        #expect(credentials?.sessionToken == FakeIdentityCenter.roleSessionToken)
        // 1_780_329_600_123 ms: 16:00:00.123, four hours after `now`.
        #expect(credentials?.expiration == Self.now.adding(seconds: 4 * 3600))
    }

    @Test func ssoSessionProfileWithAValidCachedToken() async throws {
        let home = try SSOHome()
        try home.cacheToken(expiresAt: Self.at(8 * 3600))
        let before = try home.tokenFileBytes()
        let center = try await FakeIdentityCenter.start(knownTokens: [SSOHome.cachedToken])
        defer { Task { await center.stop() } }
        let provider = try provider("dev", home: home, center: center)

        #expect(provider.source == "SSO profile 'dev' (sso_session 'corp')")
        expectRoleCredentials(try await provider.credentials())
        #expect(
            center.calls == ["GET /portal/federation/credentials?role_name=ReadOnly&account_id=111122223333"])
        #expect(center.bearerTokens == [SSOHome.cachedToken])
        #expect(try home.tokenFileBytes() == before)
    }

    @Test func legacyProfileReadsTheTokenCachedUnderItsStartURL() async throws {
        let home = try SSOHome()
        try home.cacheToken(
            SSOHome.startURLKey, accessToken: "legacy-token-SECRET8", expiresAt: Self.at(3600))
        let center = try await FakeIdentityCenter.start(knownTokens: ["legacy-token-SECRET8"])
        defer { Task { await center.stop() } }
        let provider = try provider("legacy", home: home, center: center)

        #expect(provider.source == "SSO profile 'legacy' (sso_start_url https://example.awsapps.com/start)")
        expectRoleCredentials(try await provider.credentials())
        #expect(center.bearerTokens == ["legacy-token-SECRET8"])
    }

    @Test func legacyProfileWithAnExpiredTokenAsksForLoginWithoutARequest() async throws {
        let home = try SSOHome()
        try home.cacheToken(SSOHome.startURLKey, expiresAt: Self.at(-1))
        let center = try await FakeIdentityCenter.start(
            knownTokens: [SSOHome.cachedToken], refreshToken: SSOHome.refreshToken)
        defer { Task { await center.stop() } }

        let message = await failure(try provider("legacy", home: home, center: center))
        #expect(message.contains(Self.loginMessage("legacy")))
        #expect(center.calls.isEmpty)  // the legacy form is never refreshed (as botocore)
    }

    @Test func expiredTokenIsRefreshedAndTheCacheRewritten() async throws {
        let home = try SSOHome()
        try home.cacheToken(expiresAt: Self.at(-60))
        let center = try await FakeIdentityCenter.start(knownTokens: [], refreshToken: SSOHome.refreshToken)
        defer { Task { await center.stop() } }
        let provider = try provider("dev", home: home, center: center)

        expectRoleCredentials(try await provider.credentials())
        #expect(center.calls.map { $0.prefix(11) } == ["POST /oidc/", "GET /portal"])
        #expect(center.bearerTokens == [FakeIdentityCenter.refreshedToken])

        let rewritten = try home.tokenFile()
        #expect(
            rewritten == [
                "startUrl": "https://example.awsapps.com/start", "region": "us-east-1",
                "accessToken": FakeIdentityCenter.refreshedToken, "expiresAt": Self.at(28_800),
                "clientId": FakeIdentityCenter.clientID, "clientSecret": FakeIdentityCenter.clientSecret,
                "registrationExpiresAt": "2026-09-01T00:00:00Z",
                "refreshToken": FakeIdentityCenter.rotatedRefreshToken,
            ])
        #expect(Self.at(28_800) == "2026-06-01T20:00:00Z")
        let attributes = try FileManager.default.attributesOfItem(atPath: home.tokenPath(SSOHome.sessionKey))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: home.cacheDirectory) == [
                "\(SSOHome.sessionKey).json"
            ])

        // The rewritten file is what the next call reads: no second refresh.
        expectRoleCredentials(try await provider.credentials())
        #expect(center.calls.count == 3)
        #expect(
            center.bearerTokens == [FakeIdentityCenter.refreshedToken, FakeIdentityCenter.refreshedToken])
    }

    @Test(arguments: [(16 * 60, false), (14 * 60, true)])
    func tokensAreRefreshedWithinFifteenMinutesOfExpiry(secondsLeft: Int64, refreshed: Bool) async throws {
        let home = try SSOHome()
        try home.cacheToken(expiresAt: Self.at(secondsLeft))
        let center = try await FakeIdentityCenter.start(
            knownTokens: [SSOHome.cachedToken], refreshToken: SSOHome.refreshToken)
        defer { Task { await center.stop() } }

        expectRoleCredentials(try await provider("dev", home: home, center: center).credentials())
        #expect(center.bearerTokens == [refreshed ? FakeIdentityCenter.refreshedToken : SSOHome.cachedToken])
        #expect(try home.tokenFile()["accessToken"] == center.bearerTokens.first ?? nil)
    }

    @Test func expiredTokenWithoutARefreshTokenAsksForLogin() async throws {
        let home = try SSOHome()
        try home.cacheToken(expiresAt: Self.at(-60), refreshToken: nil)
        let center = try await FakeIdentityCenter.start(knownTokens: [SSOHome.cachedToken])
        defer { Task { await center.stop() } }

        let message = await failure(try provider("dev", home: home, center: center))
        #expect(message.contains(Self.loginMessage("dev")))
        #expect(!message.contains("refreshing"))
        #expect(center.calls.isEmpty)
    }

    @Test func expiredClientRegistrationIsNotUsedToRefresh() async throws {
        let home = try SSOHome()
        try home.cacheToken(expiresAt: Self.at(-60), registrationExpiresAt: Self.at(-1))
        let center = try await FakeIdentityCenter.start(knownTokens: [], refreshToken: SSOHome.refreshToken)
        defer { Task { await center.stop() } }

        #expect(
            await failure(try provider("dev", home: home, center: center)).contains(Self.loginMessage("dev")))
        #expect(center.calls.isEmpty)
    }

    @Test func failedRefreshOfAStillValidTokenUsesTheToken() async throws {
        let home = try SSOHome()
        // Five minutes left: inside the 15-minute refresh window, but still valid.
        try home.cacheToken(expiresAt: Self.at(300))
        let before = try home.tokenFileBytes()
        let center = try await FakeIdentityCenter.start(
            knownTokens: [SSOHome.cachedToken], refreshToken: "another-refresh-token")
        defer { Task { await center.stop() } }

        expectRoleCredentials(try await provider("dev", home: home, center: center).credentials())
        #expect(center.calls.map { $0.prefix(11) } == ["POST /oidc/", "GET /portal"])
        #expect(center.bearerTokens == [SSOHome.cachedToken])
        #expect(try home.tokenFileBytes() == before)
    }

    @Test func failedRefreshOfAnExpiredTokenAsksForLoginAndSaysWhy() async throws {
        let home = try SSOHome()
        try home.cacheToken(expiresAt: Self.at(-60))
        let center = try await FakeIdentityCenter.start(
            knownTokens: [SSOHome.cachedToken], refreshToken: "another-refresh-token")
        defer { Task { await center.stop() } }

        let message = await failure(try provider("dev", home: home, center: center))
        #expect(message.contains(Self.loginMessage("dev")))
        #expect(
            message.contains(
                "CreateToken at \(center.server.url)/oidc/token answered HTTP 400 (invalid_grant"))
        #expect(center.bearerTokens.isEmpty)
    }

    @Test func missingOrUnreadableCacheFileAsksForLogin() async throws {
        let home = try SSOHome()
        let center = try await FakeIdentityCenter.start(knownTokens: [SSOHome.cachedToken])
        defer { Task { await center.stop() } }
        #expect(
            await failure(try provider("dev", home: home, center: center)).contains(Self.loginMessage("dev")))

        // Not JSON, or JSON without an access token: no usable token either, and none of it is shown.
        try "accessToken = SECRET-in-a-broken-file".write(
            toFile: home.tokenPath(SSOHome.sessionKey), atomically: true, encoding: .utf8)
        #expect(
            await failure(try provider("dev", home: home, center: center)).contains(Self.loginMessage("dev")))
        try #"{"expiresAt":"2030-01-01T00:00:00Z","refreshToken":"SECRET-refresh"}"#.write(
            toFile: home.tokenPath(SSOHome.sessionKey), atomically: true, encoding: .utf8)
        #expect(
            await failure(try provider("dev", home: home, center: center)).contains(Self.loginMessage("dev")))
        #expect(center.calls.isEmpty)
    }

    @Test func tokenThePortalRefusesAsksForLogin() async throws {
        let home = try SSOHome()
        try home.cacheToken(expiresAt: Self.at(8 * 3600))
        let center = try await FakeIdentityCenter.start(knownTokens: ["some-other-token"])
        defer { Task { await center.stop() } }

        let message = await failure(try provider("dev", home: home, center: center))
        #expect(message.contains(Self.loginMessage("dev")))
        #expect(center.bearerTokens == [SSOHome.cachedToken])
    }

    @Test func roleWithoutAccessIsNotALoginProblem() async throws {
        let home = try SSOHome()
        try home.cacheToken(expiresAt: Self.at(8 * 3600))
        let center = try await FakeIdentityCenter.start(knownTokens: [SSOHome.cachedToken])
        defer { Task { await center.stop() } }
        center.portalAnswers(
            .json(
                403,
                #"{"message":"No access","__type":"com.amazonaws.switchboard.portal#ForbiddenException"}"#))

        let message = await failure(try provider("dev", home: home, center: center))
        #expect(!message.contains("aws sso login"))
        #expect(message.contains("role 'ReadOnly' in account 111122223333 (ForbiddenException: No access)"))
        #expect(message.contains("sso_account_id and sso_role_name"))
    }

    @Test func portalErrorsNameTheEndpointAndHoldNoSecrets() async throws {
        let home = try SSOHome()
        try home.cacheToken(expiresAt: Self.at(8 * 3600))
        let center = try await FakeIdentityCenter.start(knownTokens: [SSOHome.cachedToken])
        defer { Task { await center.stop() } }
        let portal = "\(center.server.url)/portal"

        // A server error that echoes the token back: the echo is not shown.
        center.portalAnswers(.json(500, #"{"message":"bad token \#(SSOHome.cachedToken)"}"#))
        let serverError = await failure(try provider("dev", home: home, center: center))
        #expect(serverError.contains("GetRoleCredentials at \(portal) answered HTTP 500"))

        // An answer without the access key: the field is named, the values in the answer are not shown.
        center.portalAnswers(
            .json(
                200,
                #"{"roleCredentials":{"secretAccessKey":"\#(FakeIdentityCenter.roleSecret)","expiration":1}}"#
            ))
        let malformed = await failure(try provider("dev", home: home, center: center))
        #expect(malformed.contains("GetRoleCredentials at \(portal) gave an unexpected answer"))
        #expect(malformed.contains("roleCredentials.accessKeyId: missing"))

        // No answer but a closed connection: the endpoint is named.
        center.portalAnswers(.dropConnection)
        let dropped = await failure(try provider("dev", home: home, center: center))
        #expect(dropped.contains("GetRoleCredentials: connection to \(portal) failed"))
    }

    @Test func endpointVariablesMustBeURLs() async throws {
        let home = try SSOHome()
        try home.cacheToken(expiresAt: Self.at(8 * 3600))
        let center = try await FakeIdentityCenter.start(knownTokens: [SSOHome.cachedToken])
        defer { Task { await center.stop() } }
        let message = await failure(
            try provider(
                "dev", home: home, center: center, environment: ["AWS_ENDPOINT_URL_SSO": "portal.local"]))
        #expect(message.contains("AWS_ENDPOINT_URL_SSO is not an http(s) URL: 'portal.local'"))
        #expect(center.calls.isEmpty)
    }

    /// Settings are checked before any file or request: these use an in-memory config.
    func settingsFailure(_ config: String, profile: String = "dev") async -> String {
        let environment = ["HOME": "/home/tester"]
        let fileSystem = MemoryFileSystem(files: ["/home/tester/.aws/config": config])
        do {
            let files = try SharedConfigFiles(environment: environment, fileSystem: fileSystem)
            _ = try await SSOCredentialProvider(
                profileName: profile, files: files, environment: environment, fileSystem: fileSystem,
                clock: { Self.now }
            ).credentials()
            Issue.record("expected an error for \(config)")
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func missingSettingsAreNamed() async throws {
        let session =
            "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
        let profile = "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = R\n"

        #expect(
            await settingsFailure(profile).contains(
                "profile 'dev' of /home/tester/.aws/config names sso_session 'corp', but "
                    + "/home/tester/.aws/config has no [sso-session corp] section"))
        #expect(
            await settingsFailure(profile + "[sso-session corp]\nsso_start_url = https://x\n").contains(
                "[sso-session corp] of /home/tester/.aws/config (sso_session of profile 'dev') is missing sso_region"
            ))
        #expect(
            await settingsFailure(profile + "[sso-session corp]\nsso_registration_scopes = a\n").contains(
                "is missing sso_start_url, sso_region"))
        #expect(
            await settingsFailure("[profile dev]\nsso_session = corp\n" + session).contains(
                "profile 'dev' of /home/tester/.aws/config uses IAM Identity Center (SSO) but is missing "
                    + "sso_account_id, sso_role_name"))
        #expect(
            await settingsFailure("[profile dev]\nsso_start_url = https://x\nsso_role_name = R\n").contains(
                "is missing sso_region, sso_account_id"))
        #expect(
            await settingsFailure("[profile dev]\nsso_account_id = 1\nsso_role_name = R\n").contains(
                "is missing sso_session (or the legacy sso_start_url and sso_region)"))
        #expect(
            await settingsFailure(profile + session + "[profile dev]\nsso_region = eu-west-1\n").contains(
                "sets sso_region to 'eu-west-1' but its [sso-session corp] sets 'us-east-1'"))
        #expect(
            await settingsFailure(
                profile + "[sso-session corp]\nsso_start_url = https://x\nsso_region = a/b\n"
            )
            .contains("sso_region of profile 'dev' of /home/tester/.aws/config is not a region name: 'a/b'"))
    }

    @Test func profilesWithoutSSOSettingsAreNotThisProvidersBusiness() async throws {
        let home = try SSOHome()
        let center = try await FakeIdentityCenter.start(knownTokens: [])
        defer { Task { await center.stop() } }
        #expect(try await provider("plain", home: home, center: center).credentials() == nil)
        #expect(try await provider("nowhere", home: home, center: center).credentials() == nil)
        #expect(center.calls.isEmpty)
    }
}

import AWSTestSupport
import DynamoDB
import DynamoDBTestSupport
import Foundation
import Synchronization
import TestSupport
import Testing

/// Assume-role and web identity profiles, end to end: against moto's STS (which answers AssumeRole,
/// AssumeRoleWithWebIdentity and GetCallerIdentity for the role's account), and against a scripted STS
/// where the request itself must be checked (session name, external id, MFA code, the token read).
@Suite struct AssumeRoleTests {
    /// A configuration for `profile` from `config` and `credentials` file texts, STS at `sts`.
    static func configuration(
        profile: String?, config: String, credentials: String = "", sts: String,
        environment extra: [String: String] = [:], mfa: MFACodePrompt? = nil
    ) throws -> DynamoDBConfiguration {
        // The shared files from memory; token files, which tests rewrite, from the disk.
        let files = MemoryOverDisk(
            memory: MemoryFileSystem(files: [
                "/home/tester/.aws/config": config, "/home/tester/.aws/credentials": credentials,
            ]))
        var environment = quietEnvironment
        environment["AWS_ENDPOINT_URL_STS"] = sts
        environment["AWS_REGION"] = "us-east-1"
        environment.merge(extra) { $1 }
        return try DynamoDBConfiguration.resolve(
            .init(profile: profile, endpoint: "http://127.0.0.1:9", mfaCodePrompt: mfa),
            environment: environment,
            fileSystem: files)
    }

    static let baseCredentials = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n"

    @Test func aChainOfRolesEndsInTheLastRolesAccount() async throws {
        let moto = try LocalDynamoDB.endpoint()
        let config = """
            [profile dev]
            role_arn = arn:aws:iam::222222222222:role/dev-admin
            source_profile = base
            [profile prod]
            role_arn = arn:aws:iam::333333333333:role/prod-admin
            source_profile = dev
            role_session_name = chained
            """
        let configuration = try Self.configuration(
            profile: "prod", config: config, credentials: Self.baseCredentials, sts: moto)
        let credentials = try await configuration.resolvedCredentials()
        #expect(credentials.accessKeyID != "AKIDBASE")
        #expect(credentials.sessionToken != nil)
        #expect(credentials.expiration != nil)
        let client = DynamoDBClient(configuration: configuration)
        defer { Task { try? await client.shutdown() } }
        let answer = try await client.callerIdentity()
        let identity = try #require(answer)
        #expect(identity.account == "333333333333")
        #expect(identity.arn == "arn:aws:sts::333333333333:assumed-role/prod-admin/chained")
        #expect(
            await configuration.credentialsSourceDescription()
                == "profile 'prod' (assume role arn:aws:iam::333333333333:role/prod-admin)")
    }

    /// Gives credentials once, then fails: a refresh that goes wrong.
    final class FailsAfterFirstAnswer: CredentialProvider {
        let calls = Mutex(0)
        let source = "a flaky source"
        func credentials() async throws(DynamoDBError) -> AWSCredentials? {
            let call = calls.withLock { count in
                count += 1
                return count
            }
            guard call == 1 else { throw .credentialSource(source: source, reason: "refresh failed") }
            return AWSCredentials(
                accessKeyID: "ASIAFIRST", secretAccessKey: "s", sessionToken: "t",
                expiration: UTCTimestamp(iso8601: "2030-01-01T01:00:00Z"))
        }
    }

    @Test func aFailedRefreshKeepsCredentialsUntilTheyActuallyExpire() async throws {
        let now = Mutex(UTCTimestamp(iso8601: "2030-01-01T00:00:00Z")!)
        let chain = CredentialChain(
            [FailsAfterFirstAnswer()], refreshMargin: 300, clock: { now.withLock { $0 } })
        #expect(try await chain.resolve().accessKeyID == "ASIAFIRST")
        // Inside the refresh margin: the refresh fails, the still-valid credentials are kept.
        now.withLock { $0 = UTCTimestamp(iso8601: "2030-01-01T00:58:00Z")! }
        #expect(try await chain.resolve().accessKeyID == "ASIAFIRST")
        // Expired: the failure is the answer.
        now.withLock { $0 = UTCTimestamp(iso8601: "2030-01-01T01:00:00Z")! }
        let error = await #expect(throws: DynamoDBError.self) { try await chain.resolve() }
        #expect("\(error!)".contains("refresh failed"))
    }

    @Test func aLoopInTheChainIsRefusedWithTheChainNamed() async throws {
        let config = """
            [profile a]
            role_arn = arn:aws:iam::222222222222:role/a
            source_profile = b
            [profile b]
            role_arn = arn:aws:iam::222222222222:role/b
            source_profile = c
            [profile c]
            role_arn = arn:aws:iam::222222222222:role/c
            source_profile = a
            """
        let configuration = try Self.configuration(profile: "a", config: config, sts: "http://127.0.0.1:9")
        let error = await #expect(throws: DynamoDBError.self) {
            try await configuration.resolvedCredentials()
        }
        #expect("\(error!)".contains("source_profile chain loops: a -> b -> c -> a"), "\(error!)")
    }

    @Test func aProfileThatIsItsOwnSourceUsesItsKeys() async throws {
        let moto = try LocalDynamoDB.endpoint()
        let configuration = try Self.configuration(
            profile: "self",
            config: "[profile self]\nrole_arn = arn:aws:iam::444444444444:role/x\nsource_profile = self\n",
            credentials: "[self]\naws_access_key_id = AKIDSELF\naws_secret_access_key = selfsecret\n",
            sts: moto)
        let client = DynamoDBClient(configuration: configuration)
        defer { Task { try? await client.shutdown() } }
        #expect(try await client.callerIdentity()?.account == "444444444444")
    }

    @Test func credentialSourceEnvironmentAssumesFromTheEnvironmentsKeys() async throws {
        let moto = try LocalDynamoDB.endpoint()
        let configuration = try Self.configuration(
            profile: "ci",
            config:
                "[profile ci]\nrole_arn = arn:aws:iam::555555555555:role/ci\ncredential_source = Environment\n",
            sts: moto, environment: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret"])
        let client = DynamoDBClient(configuration: configuration)
        defer { Task { try? await client.shutdown() } }
        #expect(try await client.callerIdentity()?.account == "555555555555")
    }

    @Test(arguments: [
        ("role_arn = arn:aws:iam::1:role/x\n", "neither source_profile nor credential_source"),
        (
            "role_arn = arn:aws:iam::1:role/x\nsource_profile = base\ncredential_source = Environment\n",
            "keep one"
        ),
        (
            "role_arn = arn:aws:iam::1:role/x\ncredential_source = Laptop\n",
            "expected Environment, Ec2InstanceMetadata or EcsContainer"
        ),
        (
            "role_arn = arn:aws:iam::1:role/x\nsource_profile = nowhere\n",
            "names source_profile 'nowhere', which is not in"
        ),
        (
            "role_arn = arn:aws:iam::1:role/x\nsource_profile = base\nduration_seconds = 60\n",
            "from 900 to 43200"
        ),
        ("web_identity_token_file = /tmp/token\n", "has web_identity_token_file but no role_arn"),
    ])
    func misconfiguredRolesSayWhatIsWrong(_ settings: String, _ expected: String) async throws {
        let configuration = try Self.configuration(
            profile: "broken", config: "[profile broken]\n" + settings, credentials: Self.baseCredentials,
            sts: "http://127.0.0.1:9")
        let error = await #expect(throws: DynamoDBError.self) {
            try await configuration.resolvedCredentials()
        }
        #expect("\(error!)".contains(expected), "\(error!)")
    }

    /// A scripted STS that records each request's form and answers AssumeRole or
    /// AssumeRoleWithWebIdentity with fresh credentials.
    static func scriptedSTS() async throws -> LocalHTTPServer {
        try await LocalHTTPServer.start { index, request in
            let action = form(request)["Action"] ?? ""
            let body = """
                <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <\(action)Result><Credentials>
                    <AccessKeyId>ASIASCRIPTED\(index)</AccessKeyId><SecretAccessKey>s&amp;cret</SecretAccessKey>
                    <SessionToken>token\(index)</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>
                  </Credentials></\(action)Result>
                </\(action)Response>
                """
            return .respond(status: 200, headers: [("Content-Type", "text/xml")], body: Array(body.utf8))
        }
    }

    static func form(_ request: LocalHTTPServer.Request) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in request.bodyText.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).removingPercentEncoding ?? ""
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    @Test func theRequestCarriesSessionNameExternalIDDurationAndTheMFACode() async throws {
        let sts = try await Self.scriptedSTS()
        defer { Task { try? await sts.stop() } }
        let asked = Mutex<[String]>([])
        let config = """
            [profile guarded]
            role_arn = arn:aws:iam::222222222222:role/guarded
            source_profile = base
            role_session_name = alice
            external_id = ext-42
            duration_seconds = 1800
            mfa_serial = arn:aws:iam::111111111111:mfa/alice
            """
        let configuration = try Self.configuration(
            profile: "guarded", config: config, credentials: Self.baseCredentials, sts: sts.url,
            mfa: { serial, profile in
                asked.withLock { $0.append("\(serial) \(profile)") }
                return "123456"
            })
        let credentials = try await configuration.resolvedCredentials()
        #expect(credentials.accessKeyID == "ASIASCRIPTED0")
        #expect(credentials.secretAccessKey == "s&cret")
        #expect(asked.withLock { $0 } == ["arn:aws:iam::111111111111:mfa/alice guarded"])
        let fields = Self.form(try #require(sts.requests.first))
        #expect(fields["Action"] == "AssumeRole")
        #expect(fields["RoleArn"] == "arn:aws:iam::222222222222:role/guarded")
        #expect(fields["RoleSessionName"] == "alice")
        #expect(fields["ExternalId"] == "ext-42")
        #expect(fields["DurationSeconds"] == "1800")
        #expect(fields["SerialNumber"] == "arn:aws:iam::111111111111:mfa/alice")
        #expect(fields["TokenCode"] == "123456")
        // Signed by the source profile's keys, for STS in the client's region.
        let authorization = try #require(sts.requests.first?.header("Authorization"))
        #expect(authorization.contains("Credential=AKIDBASE/"))
        #expect(authorization.contains("/us-east-1/sts/aws4_request"))
    }

    @Test func anMFARoleWithoutATerminalFailsClearly() async throws {
        let config = """
            [profile guarded]
            role_arn = arn:aws:iam::222222222222:role/guarded
            source_profile = base
            mfa_serial = arn:aws:iam::111111111111:mfa/alice
            """
        let configuration = try Self.configuration(
            profile: "guarded", config: config, credentials: Self.baseCredentials, sts: "http://127.0.0.1:9")
        let error = await #expect(throws: DynamoDBError.self) {
            try await configuration.resolvedCredentials()
        }
        #expect(
            "\(error!)".contains(
                "needs an MFA code (mfa_serial arn:aws:iam::111111111111:mfa/alice) and there is no terminal"),
            "\(error!)")
    }

    @Test func stsRefusalsNameTheCodeAndNeverTheKeys() async throws {
        let sts = try await LocalHTTPServer.start { _, _ in
            .respond(
                status: 403, headers: [("Content-Type", "text/xml")],
                body: Array(
                    """
                    <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>
                    <Message>User is not authorized to perform: sts:AssumeRole</Message></Error>
                    <RequestId>req-1</RequestId></ErrorResponse>
                    """.utf8))
        }
        defer { Task { try? await sts.stop() } }
        let configuration = try Self.configuration(
            profile: "r", config: "[profile r]\nrole_arn = arn:aws:iam::2:role/r\nsource_profile = base\n",
            credentials: Self.baseCredentials, sts: sts.url)
        let error = await #expect(throws: DynamoDBError.self) {
            try await configuration.resolvedCredentials()
        }
        let message = "\(error!)"
        #expect(message.contains("AccessDenied"), "\(message)")
        #expect(message.contains("not authorized to perform: sts:AssumeRole"), "\(message)")
        #expect(message.contains("profile 'r' (assume role arn:aws:iam::2:role/r)"), "\(message)")
        #expect(!message.contains("basesecret") && !message.contains("AKIDBASE"), "\(message)")
        #expect(sts.requests.count == 1, "an access denial is not retried")
    }

    @Test func webIdentityFromTheEnvironmentRereadsItsTokenAtEachFetch() async throws {
        let sts = try await Self.scriptedSTS()
        defer { Task { try? await sts.stop() } }
        let directory = try TemporaryDirectory()
        let tokenFile = directory.path + "/token"
        try "first-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let configuration = try Self.configuration(
            profile: nil, config: "", sts: sts.url,
            environment: [
                "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
                "AWS_ROLE_ARN": "arn:aws:iam::666666666666:role/pod",
                "AWS_ROLE_SESSION_NAME": "pod-session",
            ])
        let chain = try #require(configuration.credentials as? CredentialChain)
        let web = try #require(
            chain.providers.compactMap { $0 as? ProfileCredentialProvider }.first)
        #expect(try await web.credentials()?.accessKeyID == "ASIASCRIPTED0")
        try "second-token".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        #expect(try await web.credentials()?.accessKeyID == "ASIASCRIPTED1")
        let sent = sts.requests.map { Self.form($0) }
        #expect(sent.map { $0["Action"] } == ["AssumeRoleWithWebIdentity", "AssumeRoleWithWebIdentity"])
        #expect(sent.map { $0["WebIdentityToken"] } == ["first-token", "second-token"])
        #expect(sent.first?["RoleSessionName"] == "pod-session")
        #expect(sts.requests.allSatisfy { $0.header("Authorization") == nil }, "web identity is unsigned")
        #expect(
            await configuration.credentialsSourceDescription().contains("AWS_WEB_IDENTITY_TOKEN_FILE")
                == false,
            "nothing resolved through the chain yet")
    }

    @Test func webIdentityAgainstMotoGivesTheRolesAccount() async throws {
        let moto = try LocalDynamoDB.endpoint()
        let directory = try TemporaryDirectory()
        let tokenFile = directory.path + "/token"
        try "eyJhbGciOiJSUzI1NiJ9.e30.c2ln".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let configuration = try Self.configuration(
            profile: nil, config: "", sts: moto,
            environment: [
                "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
                "AWS_ROLE_ARN": "arn:aws:iam::777777777777:role/pod",
            ])
        let client = DynamoDBClient(configuration: configuration)
        defer { Task { try? await client.shutdown() } }
        #expect(try await client.callerIdentity()?.account == "777777777777")
        #expect(
            await configuration.credentialsSourceDescription()
                == "environment variables AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (web identity for arn:aws:iam::777777777777:role/pod)"
        )
    }

    @Test func anExplicitProfileIgnoresTheEnvironmentsWebIdentity() async throws {
        let configuration = try Self.configuration(
            profile: "base", config: "", credentials: Self.baseCredentials, sts: "http://127.0.0.1:9",
            environment: [
                "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent", "AWS_ROLE_ARN": "arn:aws:iam::7:role/pod",
            ])
        #expect(try await configuration.resolvedCredentials().accessKeyID == "AKIDBASE")
        // Named by AWS_PROFILE instead, the environment's web identity comes first (botocore's order).
        let implicit = try Self.configuration(
            profile: nil, config: "", credentials: Self.baseCredentials, sts: "http://127.0.0.1:9",
            environment: [
                "AWS_PROFILE": "base", "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent",
                "AWS_ROLE_ARN": "arn:aws:iam::7:role/pod",
            ])
        let error = await #expect(throws: DynamoDBError.self) { try await implicit.resolvedCredentials() }
        #expect("\(error!)".contains("the token file /nonexistent does not exist"), "\(error!)")
    }

    @Test func theAllowedAccountGuardStopsBeforeAnyDynamoDBRequest() async throws {
        let moto = try LocalDynamoDB.endpoint()
        let dynamoDB = try await LocalHTTPServer.start { _, _ in .json(200, #"{"TableNames":[]}"#) }
        defer { Task { try? await dynamoDB.stop() } }
        var environment = quietEnvironment
        environment["AWS_ENDPOINT_URL_STS"] = moto
        environment["AWS_REGION"] = "us-east-1"
        environment["AWS_ACCESS_KEY_ID"] = "AKIDGUARD"
        environment["AWS_SECRET_ACCESS_KEY"] = "guardsecret"
        let wrong = try DynamoDBConfiguration.resolve(
            .init(endpoint: dynamoDB.url, allowedAccounts: ["111111111111"]), environment: environment,
            fileSystem: MemoryFileSystem(files: [:]))
        let client = DynamoDBClient(configuration: wrong)
        defer { Task { try? await client.shutdown() } }
        let error = await #expect(throws: DynamoDBError.self) { try await client.listTables() }
        #expect(
            "\(error!)".contains(
                "belong to account 123456789012 (arn:aws:sts::123456789012:user/moto), not to the allowed account 111111111111"
            ),
            "\(error!)")
        #expect(dynamoDB.requests.isEmpty)

        let right = try DynamoDBConfiguration.resolve(
            .init(endpoint: dynamoDB.url, allowedAccounts: ["111111111111", "123456789012"]),
            environment: environment, fileSystem: MemoryFileSystem(files: [:]))
        let allowed = DynamoDBClient(configuration: right)
        defer { Task { try? await allowed.shutdown() } }
        _ = try await allowed.listTables()
        #expect(dynamoDB.requests.count == 1)

        // No STS to ask: the guard fails closed.
        environment["AWS_ENDPOINT_URL_STS"] = nil
        let unknown = DynamoDBClient(
            configuration: try DynamoDBConfiguration.resolve(
                .init(endpoint: dynamoDB.url, allowedAccounts: ["123456789012"]), environment: environment,
                fileSystem: MemoryFileSystem(files: [:])))
        defer { Task { try? await unknown.shutdown() } }
        let uncheckable = await #expect(throws: DynamoDBError.self) { try await unknown.listTables() }
        #expect("\(uncheckable!)".contains("cannot check the allowed accounts"))
        #expect(dynamoDB.requests.count == 1)
    }
}

/// Files from memory where it has them, else from the disk.
struct MemoryOverDisk: FileSystem {
    var memory: MemoryFileSystem

    func contents(atPath path: String) throws(DynamoDBError) -> [UInt8]? {
        if let bytes = try memory.contents(atPath: path) { return bytes }
        return try LocalFileSystem().contents(atPath: path)
    }
}

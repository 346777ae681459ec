import AWSTestSupport
import DynamoDB
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite struct CredentialTests {
    @Test func environmentProviderReadsKeysAndToken() async throws {
        let provider = EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret",
            "AWS_SESSION_TOKEN": "envtoken",
        ])
        let credentials = try #require(try await provider.credentials())
        #expect(credentials.accessKeyID == "AKIDENV")
        #expect(credentials.secretAccessKey == "envsecret")
        #expect(credentials.sessionToken == "envtoken")
        #expect(try await EnvironmentCredentialProvider(environment: [:]).credentials() == nil)
        await #expect(throws: DynamoDBError.self) {
            try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "AKID"]).credentials()
        }
    }

    @Test func descriptionsRedactSecrets() {
        let credentials = AWSCredentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            sessionToken: "FwoGZXIvYXdzEXAMPLETOKEN")
        for text in [
            credentials.description, credentials.debugDescription, String(reflecting: credentials),
            "\(credentials)",
            {
                var out = ""
                dump(credentials, to: &out)
                return out
            }(),
        ] {
            #expect(!text.contains("wJalrXUtnFEMI"))
            #expect(!text.contains("FwoGZXIvYXdz"))
            #expect(!text.contains("IOSFODNN7EXAMPLE"))
        }
    }

    @Test func precedenceExplicitThenEnvironmentThenFiles() async throws {
        let files = MemoryFileSystem(files: [
            "/home/tester/.aws/credentials":
                "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = filesecret\n",
            "/home/tester/.aws/config": "[default]\nregion = eu-west-1\n",
        ])
        var environment = quietEnvironment
        let fromFiles = try DynamoDBConfiguration.resolve(environment: environment, fileSystem: files)
        #expect(try await (fromFiles.credentials as! CredentialChain).resolve().accessKeyID == "AKIDFILE")
        #expect(fromFiles.region == "eu-west-1")

        environment["AWS_ACCESS_KEY_ID"] = "AKIDENV"
        environment["AWS_SECRET_ACCESS_KEY"] = "envsecret"
        let fromEnvironment = try DynamoDBConfiguration.resolve(environment: environment, fileSystem: files)
        #expect(
            try await (fromEnvironment.credentials as! CredentialChain).resolve().accessKeyID == "AKIDENV")

        let explicit = try DynamoDBConfiguration.resolve(
            .init(credentials: AWSCredentials(accessKeyID: "AKIDFLAG", secretAccessKey: "flagsecret")),
            environment: environment, fileSystem: files)
        #expect(try await (explicit.credentials as! CredentialChain).resolve().accessKeyID == "AKIDFLAG")
    }

    @Test func anExplicitProfileWinsOverExportedKeysButAWSProfileDoesNot() async throws {
        // The reproduction: keys exported for a dev account, `--profile prod` asked for.
        let files = MemoryFileSystem(files: [
            "/home/tester/.aws/credentials":
                "[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = prodsecret\n",
            "/home/tester/.aws/config": "[profile prod]\nregion = eu-west-1\n",
        ])
        var environment = quietEnvironment
        environment["AWS_ACCESS_KEY_ID"] = "AKIDDEV"
        environment["AWS_SECRET_ACCESS_KEY"] = "devsecret"
        let byFlag = try DynamoDBConfiguration.resolve(
            .init(profile: "prod"), environment: environment, fileSystem: files)
        #expect(try await (byFlag.credentials as! CredentialChain).resolve().accessKeyID == "AKIDPROD")
        #expect(!(byFlag.credentials as! CredentialChain).source.contains("AWS_ACCESS_KEY_ID"))

        // AWS_PROFILE chooses the profile but, as in botocore, exported keys still come first.
        environment["AWS_PROFILE"] = "prod"
        let byVariable = try DynamoDBConfiguration.resolve(environment: environment, fileSystem: files)
        #expect(try await (byVariable.credentials as! CredentialChain).resolve().accessKeyID == "AKIDDEV")
    }

    @Test func namedProfilesUseProfilePrefixInConfigOnly() async throws {
        let files = MemoryFileSystem(files: [
            "/custom/credentials": """
            # comment
            [work]
            aws_access_key_id = AKIDWORK
              ; indented comment
            aws_secret_access_key=worksecret
            aws_session_token =   worktoken

            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = defaultsecret
            """,
            "/custom/config": """
            [profile work]
            region = ap-southeast-2
            aws_access_key_id = AKIDIGNORED
            s3 =
              max_concurrent_requests = 20
            [work]
            region = wrong-region-1
            """,
        ])
        var environment = quietEnvironment
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/custom/credentials"
        environment["AWS_CONFIG_FILE"] = "/custom/config"
        environment["AWS_PROFILE"] = "work"
        let configuration = try DynamoDBConfiguration.resolve(environment: environment, fileSystem: files)
        #expect(configuration.region == "ap-southeast-2")
        let credentials = try await (configuration.credentials as! CredentialChain).resolve()
        #expect(credentials.accessKeyID == "AKIDWORK")  // the credentials file wins
        #expect(credentials.sessionToken == "worktoken")

        let byOption = try DynamoDBConfiguration.resolve(
            .init(region: "us-west-2", profile: "default"), environment: environment, fileSystem: files)
        #expect(try await (byOption.credentials as! CredentialChain).resolve().accessKeyID == "AKIDDEFAULT")

        #expect(throws: DynamoDBError.self) {
            try DynamoDBConfiguration.resolve(
                .init(profile: "nope"), environment: environment, fileSystem: files)
        }
    }

    @Test func missingCredentialsListsEverySource() async throws {
        let configuration = try DynamoDBConfiguration.resolve(
            .init(region: "us-east-1"), environment: quietEnvironment,
            fileSystem: MemoryFileSystem(files: [:]))
        do {
            _ = try await (configuration.credentials as! CredentialChain).resolve()
            Issue.record("expected missing credentials")
        } catch {
            let message = error.description
            #expect(message.contains("no AWS credentials found"))
            #expect(message.contains("AWS_ACCESS_KEY_ID"))
            #expect(
                message.contains(
                    "profile 'default' in /home/tester/.aws/credentials and /home/tester/.aws/config"))
            #expect(message.contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"))
            #expect(message.contains("EC2 instance metadata"))
        }
    }

    /// Issue 29: with AWS_EC2_METADATA_DISABLED=true the list must not claim instance metadata was asked.
    @Test func missingCredentialsSayWhichSourcesWereSwitchedOff() async throws {
        for (disabled, expected) in [
            ("true", "EC2 instance metadata (not asked: AWS_EC2_METADATA_DISABLED=true)"),
            ("false", "EC2 instance metadata (IMDSv2 at http://169.254.169.254)"),
        ] {
            var environment = quietEnvironment
            environment["AWS_EC2_METADATA_DISABLED"] = disabled
            let configuration = try DynamoDBConfiguration.resolve(
                .init(region: "us-east-1"), environment: environment, fileSystem: MemoryFileSystem(files: [:])
            )
            let sources = (configuration.credentials as! CredentialChain).source
            #expect(sources.contains(expected), "\(sources)")
        }
    }

    @Test func credentialProcessRunsAndIsCachedUntilShortlyBeforeExpiry() async throws {
        let directory = try TemporaryDirectory()
        let counter = "\(directory.path)/count"
        let script = try directory.script(
            "creds.sh",
            """
            echo x >> '\(counter)'
            printf '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "procsecret", '
            printf '"SessionToken": "proctoken", "Expiration": "2030-01-01T00:00:00Z"}'
            """)
        let files = MemoryFileSystem(files: [
            "/home/tester/.aws/config": "[profile proc]\ncredential_process = \(script) --flag 'quoted arg'\n"
        ])
        let files2 = try SharedConfigFiles(environment: quietEnvironment, fileSystem: files)
        let now = Mutex(UTCTimestamp(iso8601: "2029-12-31T23:00:00Z")!)
        let chain = CredentialChain(
            [
                ProfileCredentialProvider(
                    profileName: "proc",
                    context: CredentialResolutionContext(
                        files: files2, environment: quietEnvironment,
                        endpoints: ServiceEndpointResolver(region: "us-east-1")))
            ],
            refreshMargin: 300, clock: { now.withLock { $0 } })
        func runs() -> Int {
            ((try? String(contentsOfFile: counter, encoding: .utf8)) ?? "").split(separator: "\n").count
        }

        let first = try await chain.resolve()
        #expect(first.accessKeyID == "AKIDPROC")
        #expect(first.sessionToken == "proctoken")
        #expect(first.expiration == UTCTimestamp(iso8601: "2030-01-01T00:00:00Z"))
        _ = try await chain.resolve()
        #expect(runs() == 1)  // cached: an hour left

        now.withLock { $0 = UTCTimestamp(iso8601: "2029-12-31T23:56:00Z")! }
        _ = try await chain.resolve()
        #expect(runs() == 2)  // four minutes left, inside the five-minute margin: refreshed
    }

    @Test func failingCredentialProcessReportsStatusAndStderrButNoSecret() async throws {
        let directory = try TemporaryDirectory()
        let script = try directory.script(
            "fail.sh",
            """
            echo '{"Version": 1, "AccessKeyId": "AKIDLEAK", "SecretAccessKey": "leakedsecret"}'
            echo 'token expired, run sso login' >&2
            exit 3
            """)
        let provider = ProcessCredentialProvider(command: script, profileName: "broken", environment: [:])
        do {
            _ = try await provider.credentials()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("status 3"))
            #expect(error.description.contains("token expired, run sso login"))
            #expect(error.description.contains("credential_process of profile 'broken'"))
            #expect(!error.description.contains("leakedsecret"))
        }

        let badJSON = try directory.script(
            "bad.sh", "echo '{\"Version\": 2, \"SecretAccessKey\": \"leakedsecret\"}'")
        do {
            _ = try await ProcessCredentialProvider(command: badJSON, profileName: "v2", environment: [:])
                .credentials()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("Version"))
            #expect(!error.description.contains("leakedsecret"))
        }
    }

    @Test func malformedConfigFileNamesFileAndLine() throws {
        let files = MemoryFileSystem(files: [
            "/home/tester/.aws/config": "[default]\nregion = us-east-1\nthis is not ini\n"
        ])
        do {
            _ = try DynamoDBConfiguration.resolve(environment: quietEnvironment, fileSystem: files)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("/home/tester/.aws/config:3:"))
        }
        #expect(throws: INIParseError(file: "f", line: 2, message: "section header without a closing ']'")) {
            try INIFile(parsing: "; c\n[open\n", fileName: "f")
        }
        #expect(throws: INIParseError.self) { try INIFile(parsing: "key = before section", fileName: "f") }
        // A pasted key without `key =` is named by its line, never shown: it may be a secret.
        #expect(
            throws: INIParseError(
                file: "credentials", line: 3, message: "expected '[section]', 'key = value' or a comment")
        ) {
            try INIFile(
                parsing: "[default]\naws_access_key_id = AKID\nwJalrXUtnFEMIK7MDENGbPxRfiCYSECRET\n",
                fileName: "credentials")
        }
    }

    /// Found by fuzzing the config file: a region with ':' or '/' once made an endpoint URL that did
    /// not parse, and a force unwrap trapped.
    @Test(arguments: ["us-east-1:", "eu/west", "a b", "x@y", "région"])
    func aRegionThatIsNoRegionNameIsAnErrorNotATrap(region: String) throws {
        let files = MemoryFileSystem(files: ["/home/tester/.aws/config": "[default]\nregion = \(region)\n"])
        for resolve in [
            { try DynamoDBConfiguration.resolve(environment: quietEnvironment, fileSystem: files) },
            {
                try DynamoDBConfiguration.resolve(
                    .init(region: region), environment: quietEnvironment,
                    fileSystem: MemoryFileSystem(files: [:]))
            },
        ] {
            do {
                _ = try resolve()
                Issue.record("expected an error for region '\(region)'")
            } catch {
                #expect(String(describing: error).contains("is not a region name"), "\(error)")
            }
        }
    }

    @Test func regionOrder() throws {
        let files = MemoryFileSystem(files: [
            "/home/tester/.aws/config": "[default]\nregion = profile-region-1\n"
        ])
        var environment = quietEnvironment
        #expect(
            try DynamoDBConfiguration.resolve(environment: environment, fileSystem: files).region
                == "profile-region-1")
        environment["AWS_DEFAULT_REGION"] = "default-region-1"
        #expect(
            try DynamoDBConfiguration.resolve(environment: environment, fileSystem: files).region
                == "default-region-1")
        environment["AWS_REGION"] = "region-1"
        #expect(
            try DynamoDBConfiguration.resolve(environment: environment, fileSystem: files).region
                == "region-1")
        #expect(
            try DynamoDBConfiguration.resolve(
                .init(region: "flag-1"), environment: environment, fileSystem: files
            )
            .region == "flag-1")
        do {
            _ = try DynamoDBConfiguration.resolve(
                environment: quietEnvironment, fileSystem: MemoryFileSystem(files: [:]))
            Issue.record("expected missing region")
        } catch {
            for place in ["--region", "AWS_REGION", "AWS_DEFAULT_REGION", "region in profile 'default'"] {
                #expect(error.description.contains(place))
            }
        }
    }

    @Test func endpointOrder() throws {
        let files = MemoryFileSystem(files: [
            "/home/tester/.aws/config": "[default]\nregion = us-east-1\nendpoint_url = http://profile:1\n"
        ])
        var environment = quietEnvironment
        func endpoint(_ options: DynamoDBConfiguration.Options = .init()) throws -> String {
            try DynamoDBConfiguration.resolve(options, environment: environment, fileSystem: files).endpoint
                .description
        }
        #expect(try endpoint() == "http://profile:1")
        environment["AWS_ENDPOINT_URL"] = "http://general:2"
        #expect(try endpoint() == "http://general:2")
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = "https://dynamo:3"
        #expect(try endpoint() == "https://dynamo:3")
        #expect(try endpoint(.init(endpoint: "http://127.0.0.1:8000")) == "http://127.0.0.1:8000")
        #expect(throws: DynamoDBError.self) { try endpoint(.init(endpoint: "ftp://nope")) }

        let plain = MemoryFileSystem(files: [:])
        #expect(
            try DynamoDBConfiguration.resolve(
                .init(region: "eu-central-1"), environment: quietEnvironment, fileSystem: plain
            )
            .endpoint.description == "https://dynamodb.eu-central-1.amazonaws.com")
        #expect(
            try DynamoDBConfiguration.resolve(
                .init(region: "cn-north-1"), environment: quietEnvironment, fileSystem: plain
            )
            .endpoint.description == "https://dynamodb.cn-north-1.amazonaws.com.cn")
    }

    @Test func containerCredentialsWithAuthorizationToken() async throws {
        let server = try await LocalHTTPServer.start { _, request in
            guard request.header("Authorization") == "Bearer container-token" else { return .json(401, "{}") }
            return .json(
                200,
                #"{"AccessKeyId":"AKIDECS","SecretAccessKey":"ecssecret","Token":"ecstoken","Expiration":"2030-01-01T00:00:00Z"}"#
            )
        }
        defer { Task { try? await server.stop() } }
        let provider = ContainerCredentialProvider(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.url)/v2/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer container-token",
        ])
        let credentials = try #require(try await provider.credentials())
        #expect(credentials.accessKeyID == "AKIDECS")
        #expect(credentials.sessionToken == "ecstoken")
        #expect(server.requests.first?.uri == "/v2/credentials")
        #expect(try await ContainerCredentialProvider(environment: [:]).credentials() == nil)
    }

    @Test(arguments: [
        "http://169.254.169.254/latest/creds", "http://10.0.0.1/creds", "http://example.com/creds",
        "http://169.254.170.3/v2/credentials", "ftp://127.0.0.1/creds",
    ])
    func containerCredentialsRefuseOtherPlainHTTPHostsWithoutARequest(url: String) async throws {
        let provider = ContainerCredentialProvider(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "secret-token",
        ])
        do {
            _ = try await provider.credentials()
            Issue.record("\(url) was asked for credentials")
        } catch {
            #expect(String(describing: error).contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"))
            #expect(!String(describing: error).contains("secret-token"))
        }
        for allowed in [
            "https://example.com/creds", "http://127.0.0.1:9/creds", "http://localhost/x",
            "http://169.254.170.2/v2", "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1",
            "http://[::1]:80/x", "http://127.45.6.7/creds", "http://[0:0:0:0:0:0:0:1]/x",
        ] {
            #expect(ContainerCredentialProvider.refusal(of: allowed) == nil, "\(allowed)")
        }
    }

    @Test func plainHTTPTrustsOnlyLoopbackLiteralsNotNamesThatLookLikeThem() {
        // A name is not an address: `127.attacker.example` resolves wherever its owner likes.
        for refused in [
            "http://127.attacker.example/creds", "http://127.0.0.1.attacker.example/x", "http://127.1/x",
            "http://0127.0.0.1/x", "http://127.0.0.256/x", "http://[::2]/x", "http://[::ffff:7f00:1]/x",
            "http://169.254.169.254/latest", "http://10.0.0.1/creds",
        ] {
            let refusal = ContainerCredentialProvider.refusal(of: refused)
            #expect(
                refusal?.contains("plain http is allowed only") == true,
                "\(refused): \(String(describing: refusal))")
        }
    }

    @Test func containerCredentialsDoNotFollowRedirects() async throws {
        let server = try await LocalHTTPServer.start { _, request in
            if request.uri == "/elsewhere" {
                return .json(200, #"{"AccessKeyId":"AKIDREDIRECTED","SecretAccessKey":"s"}"#)
            }
            return .respond(status: 302, headers: [("Location", "/elsewhere")], body: [])
        }
        defer { Task { try? await server.stop() } }
        let provider = ContainerCredentialProvider(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.url)/v2/credentials"
        ])
        await #expect(throws: DynamoDBError.self) { try await provider.credentials() }
        #expect(server.requests.map(\.uri) == ["/v2/credentials"])
    }

    /// EKS Pod Identity rotates the token in AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: each fetch reads it
    /// afresh and sends what it holds now.
    @Test func theContainerTokenFileIsReadAtEachFetch() async throws {
        let server = try await LocalHTTPServer.start { _, _ in
            .json(
                200,
                #"{"AccessKeyId":"AKIDPOD","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#
            )
        }
        defer { Task { try? await server.stop() } }
        let directory = try TemporaryDirectory()
        let tokenFile = directory.path + "/token"
        try "first-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let provider = ContainerCredentialProvider(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.url)/v1/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
        ])
        #expect(try await provider.credentials()?.accessKeyID == "AKIDPOD")
        try "second-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        #expect(try await provider.credentials()?.accessKeyID == "AKIDPOD")
        #expect(server.requests.map { $0.header("Authorization") } == ["first-token", "second-token"])
    }

    @Test func instanceMetadataUsesIMDSv2() async throws {
        let server = try await LocalHTTPServer.start { _, request in
            switch (request.method, request.uri) {
            case ("PUT", "/latest/api/token"):
                return request.header("X-aws-ec2-metadata-token-ttl-seconds") == "21600"
                    ? .json(200, "imds-token") : .json(400, "")
            case (_, _) where request.header("X-aws-ec2-metadata-token") != "imds-token":
                return .json(401, "")
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                return .json(200, "web-role\n")
            case ("GET", "/latest/meta-data/iam/security-credentials/web-role"):
                return .json(
                    200,
                    #"{"Code":"Success","AccessKeyId":"AKIDEC2","SecretAccessKey":"ec2secret","Token":"ec2token","Expiration":"2030-01-01T00:00:00Z"}"#
                )
            default:
                return .json(404, "")
            }
        }
        defer { Task { try? await server.stop() } }
        let credentials = try #require(
            try await InstanceMetadataCredentialProvider(environment: [
                "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url
            ])
            .credentials())
        #expect(credentials.accessKeyID == "AKIDEC2")
        #expect(server.requests.map(\.method) == ["PUT", "GET", "GET"])

        // Nothing listening: "not on EC2".
        let absent = try await InstanceMetadataCredentialProvider(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9"]
        ).credentials()
        #expect(absent == nil)
    }

    /// IMDSv1 (no token) only when the token PUT is answered 403, 404 or 405, and never when
    /// AWS_EC2_METADATA_V1_DISABLED or the profile's ec2_metadata_v1_disabled forbids it.
    @Test(arguments: [403, 404, 405, 400, 500])
    func instanceMetadataFallsBackToIMDSv1OnlyAfter403404Or405(_ tokenStatus: Int) async throws {
        let server = try await LocalHTTPServer.start { _, request in
            switch (request.method, request.uri) {
            case ("PUT", "/latest/api/token"):
                return .json(tokenStatus, "")
            case (_, _) where request.header("X-aws-ec2-metadata-token") != nil:
                return .json(400, "")
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                return .json(200, "v1-role\n")
            case ("GET", "/latest/meta-data/iam/security-credentials/v1-role"):
                return .json(
                    200,
                    #"{"Code":"Success","AccessKeyId":"AKIDV1","SecretAccessKey":"v1secret","Token":"v1token","Expiration":"2030-01-01T00:00:00Z"}"#
                )
            default:
                return .json(404, "")
            }
        }
        defer { Task { try? await server.stop() } }
        let environment = ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url]
        let credentials = try await InstanceMetadataCredentialProvider(environment: environment).credentials()
        if [403, 404, 405].contains(tokenStatus) {
            #expect(credentials?.accessKeyID == "AKIDV1")
            #expect(server.requests.map(\.method) == ["PUT", "GET", "GET"])
        } else {
            #expect(credentials == nil)
            #expect(server.requests.map(\.method) == ["PUT"])
            return
        }

        let forbidden = InstanceMetadataCredentialProvider(
            environment: environment.merging(["AWS_EC2_METADATA_V1_DISABLED": "true"]) { $1 })
        await #expect {
            _ = try await forbidden.credentials()
        } throws: { error in
            "\(error)".contains("forbids falling back to IMDSv1")
                && "\(error)".contains("HTTP \(tokenStatus)")
        }
        let files = MemoryFileSystem(files: ["/config": "[default]\nec2_metadata_v1_disabled = true\n"])
        let profile = try SharedConfigFiles(environment: ["AWS_CONFIG_FILE": "/config"], fileSystem: files)
            .profile("default")
        let forbiddenByProfile = InstanceMetadataCredentialProvider(
            environment: environment, profile: profile)
        await #expect(throws: DynamoDBError.self) { _ = try await forbiddenByProfile.credentials() }
        // The environment's `false` wins over the profile's `true`.
        let allowed = InstanceMetadataCredentialProvider(
            environment: environment.merging(["AWS_EC2_METADATA_V1_DISABLED": "false"]) { $1 },
            profile: profile)
        #expect(try await allowed.credentials()?.accessKeyID == "AKIDV1")
    }

    /// A metadata address that accepts connections and never answers (a firewall that drops packets
    /// looks the same) is "not on EC2" once the provider's own time limit passes: the chain's last link
    /// must end, or every command without credentials would hang. The test's time limit catches a hang;
    /// how long the provider takes is not asserted. The limit is generous: on a busy two-core machine the
    /// suite's other tests can hold the few threads async tests run on for a long while (seen: over a
    /// minute with two suites at once), and only a hang must fail.
    @Test(.timeLimit(.minutes(10))) func instanceMetadataThatNeverAnswersIsNotEC2() async throws {
        let server = try await LocalHTTPServer.start { _, _ in .noAnswer }
        defer { Task { try? await server.stop() } }
        let provider = InstanceMetadataCredentialProvider(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url], timeout: .milliseconds(200))
        #expect(try await provider.credentials() == nil)
        #expect(server.requests.map(\.uri) == ["/latest/api/token"])
    }
}

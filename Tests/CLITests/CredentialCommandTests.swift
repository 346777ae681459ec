import Foundation
import Testing

/// Each kind of profile end to end through the tool: IAM Identity Center (with its token refreshed),
/// a role on top of it, web identity, an MFA role asked for its code in a terminal; `whoami` naming
/// the account, the caller line before changes, and the allowed-account guard stopping a change.
@Suite struct CredentialCommandTests {
    /// A home directory with the shared files and the SSO cache, and the environment that points the
    /// tool at it and at `identity` for STS and IAM Identity Center. No keys are exported.
    struct Home {
        let directory: ScriptDirectory
        let environment: [String: String]

        init(identity: LocalIdentityServer?, directory: ScriptDirectory, sts: String? = nil) throws {
            self.directory = directory
            var environment = LocalDynamoDB.clientEnvironment
            environment["AWS_ACCESS_KEY_ID"] = ""
            environment["AWS_SECRET_ACCESS_KEY"] = ""
            environment["HOME"] = directory.path
            environment["AWS_CONFIG_FILE"] = directory.path + "/.aws/config"
            environment["AWS_SHARED_CREDENTIALS_FILE"] = directory.path + "/.aws/credentials"
            environment["AWS_EC2_METADATA_DISABLED"] = "true"
            if let identity {
                environment["AWS_ENDPOINT_URL_SSO"] = identity.url
                environment["AWS_ENDPOINT_URL_SSO_OIDC"] = identity.url
            }
            environment["AWS_ENDPOINT_URL_STS"] = sts ?? identity?.url
            self.environment = environment
            try directory.write(".aws/config", Self.config)
            try directory.write(
                ".aws/credentials",
                "[static]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = staticsecret\n")
        }

        static let config = """
            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1
            [profile sso-dev]
            sso_session = corp
            sso_account_id = 222222222222
            sso_role_name = Admin
            [profile sso-role]
            role_arn = arn:aws:iam::333333333333:role/deploy
            source_profile = sso-dev
            role_session_name = deployer
            [profile guarded]
            role_arn = arn:aws:iam::444444444444:role/mfa-admin
            source_profile = static
            mfa_serial = arn:aws:iam::111111111111:mfa/alice
            """

        /// The aws CLI's cache file for session `corp` (named by the SHA-1 of the session name).
        func writeSSOToken(_ json: String) throws {
            try directory.write(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json", json)
        }

        func tool(_ arguments: [String]) throws -> CommandResult {
            try CommandRunner.run(
                arguments + ["--endpoint-url", try LocalDynamoDB.endpoint()], in: directory.path,
                environment: environment, killAfter: .seconds(60))
        }
    }

    /// Runs `body` with a fresh home, the local identity server (stopped after) and, when given, a
    /// cached SSO token.
    static func withHome(ssoToken: String? = nil, _ body: (Home, LocalIdentityServer) throws -> Void) throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let identity = try LocalIdentityServer(directory: directory.path)
        defer { identity.stop() }
        let home = try Home(identity: identity, directory: directory)
        if let ssoToken { try home.writeSSOToken(ssoToken) }
        try body(home, identity)
    }

    /// Runs a pexpect `driver` on the tool with `arguments` in `home`, its spec as the driver's one
    /// argument; the driver's status and output.
    static func runInTerminal(_ driver: String, _ arguments: [String], home: Home) throws -> (Int32, String) {
        let spec: [String: Any] = [
            "binary": CommandRunner.executable.path, "directory": home.directory.path,
            "arguments": arguments + ["--endpoint-url", try LocalDynamoDB.endpoint()],
        ]
        return try CommandRunner.runPythonDriver(
            driver,
            arguments: [String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)],
            environment: home.environment.merging(["TERM": "xterm"]) { $1 })
    }

    static let validToken = """
        {"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1",
         "accessToken": "sso-access-token", "expiresAt": "2099-01-01T00:00:00Z"}
        """

    /// Whether boto3 (an independent client, with the local server's own keys) sees `table`.
    static func exists(_ table: String) throws -> Bool {
        let answer = try LocalDynamoDB.boto3(
            """
            try:
                ddb.describe_table(TableName='\(table)')
                print('exists')
            except ddb.exceptions.ResourceNotFoundException:
                print('missing')
            """)
        return answer.contains("exists")
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func ssoAndARoleOnTopOfItWorkEndToEnd() throws {
        try Self.withHome(ssoToken: Self.validToken) { home, identity in

            let sso = try home.tool(["whoami", "--profile", "sso-dev", "--json"])
            #expect(sso.status == 0, "\(sso.stderr)")
            let ssoAnswer = try Self.json(sso.stdout)
            #expect(ssoAnswer["account"] as? String == "222222222222")
            #expect(ssoAnswer["credentials"] as? String == "SSO profile 'sso-dev' (sso_session 'corp')")

            let role = try home.tool(["whoami", "--profile", "sso-role"])
            #expect(role.status == 0, "\(role.stderr)")
            #expect(role.stdout.contains("account     333333333333\n"), "\(role.stdout)")
            #expect(
                role.stdout.contains("arn         arn:aws:sts::333333333333:assumed-role/deploy/deployer\n"))
            #expect(
                role.stdout.contains(
                    "credentials profile 'sso-role' (assume role arn:aws:iam::333333333333:role/deploy)"))
            // The role was assumed with the SSO credentials of account 222222222222.
            let assume = try #require(
                identity.requests.first { ($0["fields"] as? [String: String])?["Action"] == "AssumeRole" })
            #expect(assume["key"] as? String == "ASIASSO222222222222")

            // A change under that role, guarded by its account: the caller line comes first.
            let table = "ct-cred-" + UUID().uuidString.prefix(8).lowercased()
            try home.directory.write(
                "t.lua", "return sentinel.table { name = '\(table)', partition_key = 'id' }\n")
            let apply = try home.tool([
                "apply", "t.lua", "--yes", "--profile", "sso-role", "--allowed-account", "333333333333",
            ])
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(
                apply.stderr.hasPrefix(
                    "account 333333333333 (arn:aws:sts::333333333333:assumed-role/deploy/deployer), region us-east-1, "
                ),
                "\(apply.stderr)")
            #expect(
                try LocalDynamoDB.boto3(
                    "print(ddb.describe_table(TableName='\(table)')['Table']['TableStatus'])"
                )
                .contains("ACTIVE"))
            for secret in ["ssosecret", "ssotoken", "rolesecret", "roletoken", "sso-access-token"] {
                #expect(
                    !(sso.stdout + sso.stderr + role.stdout + role.stderr + apply.stdout + apply.stderr)
                        .contains(
                            secret))
            }
        }
    }

    @Test func anExpiredSSOTokenIsRefreshedAndSaved() throws {
        try Self.withHome { home, identity in
            try home.writeSSOToken(
                """
                {"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "expired-token",
                 "expiresAt": "2020-01-01T00:00:00Z", "clientId": "client-1", "clientSecret": "secret-1",
                 "registrationExpiresAt": "2099-01-01T00:00:00Z", "refreshToken": "refresh-1"}
                """)
            let result = try home.tool(["whoami", "--profile", "sso-dev", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Self.json(result.stdout)["account"] as? String == "222222222222")
            let cache = try String(
                contentsOfFile: home.directory.path
                    + "/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
                encoding: .utf8)
            #expect(cache.contains("sso-access-token-refreshed") && cache.contains("refresh-2"), "\(cache)")
        }
    }

    @Test func noUsableSSOTokenSaysToLogIn() throws {
        try Self.withHome { home, identity in
            try home.writeSSOToken(
                #"{"accessToken": "old-token", "expiresAt": "2020-01-01T00:00:00Z", "region": "us-east-1"}"#)
            try home.directory.write(
                "one.lua", "return sentinel.table { name = 'ct-login', partition_key = 'id' }\n")
            let plan = try home.tool(["plan", "one.lua", "--profile", "sso-dev"])
            #expect(plan.status == 1)
            #expect(plan.stderr.contains("run aws sso login --profile sso-dev"), "\(plan.stderr)")
            #expect(!plan.stderr.contains("old-token"))
        }
    }

    @Test func aWrongAccountIsRefusedBeforeAnyChange() throws {
        try Self.withHome(ssoToken: Self.validToken) { home, identity in
            let table = "ct-guard-" + UUID().uuidString.prefix(8).lowercased()
            try home.directory.write(
                "t.lua", "return sentinel.table { name = '\(table)', partition_key = 'id' }\n")

            let apply = try home.tool([
                "apply", "t.lua", "--yes", "--profile", "sso-role", "--allowed-account", "111111111111",
            ])
            #expect(apply.status == 1)
            #expect(
                apply.stderr.contains(
                    "the credentials belong to account 333333333333 (arn:aws:sts::333333333333:assumed-role/deploy/deployer), "
                        + "not to the allowed account 111111111111; nothing was sent to DynamoDB"),
                "\(apply.stderr)")
            #expect(try Self.exists(table) == false)

            // The variable guards delete the same way; the table made under the right account stays.
            let created = try home.tool(["apply", "t.lua", "--yes", "--profile", "sso-role"])
            #expect(created.status == 0, "\(created.stderr)")
            var environment = home.environment
            environment["SENTINEL_TABLES_ALLOWED_ACCOUNTS"] = "111111111111, 222222222222"
            let delete = try CommandRunner.run(
                [
                    "delete", table, "--yes", "--profile", "sso-role", "--endpoint-url",
                    try LocalDynamoDB.endpoint(),
                ],
                in: home.directory.path, environment: environment)
            #expect(delete.status == 1)
            #expect(
                delete.stderr.contains("not to the allowed accounts 111111111111, 222222222222"),
                "\(delete.stderr)")
            #expect(try Self.exists(table) == true)

            let malformed = try home.tool(["status", table, "--allowed-account", "12345"])
            #expect(malformed.status == 2)
            #expect(
                malformed.stderr.contains("--allowed-account must be a 12-digit AWS account id, not '12345'"))
        }
    }

    @Test func webIdentityFromTheEnvironmentAgainstMotosSTS() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let home = try Home(identity: nil, directory: directory, sts: try LocalDynamoDB.endpoint())
        try directory.write("token", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln\n")
        var environment = home.environment
        environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = directory.path + "/token"
        environment["AWS_ROLE_ARN"] = "arn:aws:iam::777777777777:role/pod"
        let result = try CommandRunner.run(
            ["whoami", "--json", "--endpoint-url", try LocalDynamoDB.endpoint()], in: directory.path,
            environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let answer = try Self.json(result.stdout)
        #expect(answer["account"] as? String == "777777777777")
        #expect(
            (answer["credentials"] as? String)?.hasPrefix("environment variables AWS_WEB_IDENTITY_TOKEN_FILE")
                == true)
    }

    @Test func anUnreachableSTSLeavesTheAccountUnknownUnlessAGuardNeedsIt() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("t.lua", "return sentinel.table { name = 'ct-no-sts', partition_key = 'id' }\n")
        var environment = LocalDynamoDB.clientEnvironment
        environment["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:9"
        let arguments = ["plan", "t.lua", "--endpoint-url", try LocalDynamoDB.endpoint()]
        let plan = try CommandRunner.run(arguments, in: directory.path, environment: environment)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(
            plan.stderr.hasPrefix(
                "account unknown (GetCallerIdentity: connection refused by http://127.0.0.1:9"),
            "\(plan.stderr)")
        #expect(plan.stdout.contains("ct-no-sts: will be created"))
        let guarded = try CommandRunner.run(
            arguments + ["--allowed-account", "123456789012"], in: directory.path, environment: environment)
        #expect(guarded.status == 1)
        #expect(guarded.stderr.contains("connection refused by http://127.0.0.1:9"), "\(guarded.stderr)")
        #expect(!guarded.stdout.contains("will be created"))
    }

    @Test func aLocalEndpointWithoutSTSSaysSoInsteadOfAsking() throws {
        let result = try LocalDynamoDB.tool(["whoami"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("account     unknown: no STS endpoint to ask (set AWS_ENDPOINT_URL_STS)"))
        #expect(
            result.stdout.contains(
                "credentials environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"))
    }

    /// The MFA code is asked on the terminal, sent with AssumeRole, and the role's account shown.
    static let mfaDriver = #"""
        import json, sys, pexpect

        spec = json.loads(sys.argv[1])
        child = pexpect.spawn(spec["binary"], spec["arguments"], cwd=spec["directory"], encoding="utf-8",
                              timeout=30, dimensions=(24, 200))
        child.expect_exact("Enter MFA code for arn:aws:iam::111111111111:mfa/alice (profile 'guarded'): ")
        child.sendline("123456")
        child.expect_exact("account     444444444444")
        child.expect(pexpect.EOF)
        child.close()
        if child.exitstatus != 0:
            sys.exit("exit status %r: %s" % (child.exitstatus, child.before))
        """#

    @Test func anMFARoleAsksForTheCodeOnTheTerminal() throws {
        try Self.withHome { home, identity in
            let (status, output) = try Self.runInTerminal(
                Self.mfaDriver, ["whoami", "--profile", "guarded"], home: home)
            #expect(status == 0, "\(output)")
            let assume = try #require(
                identity.requests.first { ($0["fields"] as? [String: String])?["Action"] == "AssumeRole" })
            let fields = try #require(assume["fields"] as? [String: String])
            #expect(fields["TokenCode"] == "123456")
            #expect(fields["SerialNumber"] == "arn:aws:iam::111111111111:mfa/alice")
            #expect(assume["key"] as? String == "AKIDSTATIC")
        }
    }

    /// Ctrl-C while a `credential_process` runs reaches it (it is in the terminal's foreground process
    /// group, as under the aws CLI) and the command ends as interrupted, not after the process would
    /// have finished (30 s; the driver waits at most 10).
    static let interruptDriver = #"""
        import json, sys, time, pexpect

        spec = json.loads(sys.argv[1])
        child = pexpect.spawn(spec["binary"], spec["arguments"], cwd=spec["directory"], encoding="utf-8",
                              timeout=10, dimensions=(24, 200))
        time.sleep(1.5)
        child.sendintr()
        child.expect(pexpect.EOF)
        child.close()
        if child.exitstatus != 130:
            sys.exit("exit status %r (signal %r): %s" % (child.exitstatus, child.signalstatus, child.before))
        """#

    @Test func ctrlCReachesACredentialProcess() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let home = try Home(identity: nil, directory: directory)
        try directory.write(".aws/config", "[profile slow]\ncredential_process = sleep 30\n")
        let (status, output) = try Self.runInTerminal(
            Self.interruptDriver, ["status", "ct-any", "--profile", "slow"], home: home)
        #expect(status == 0, "\(output)")
    }
}

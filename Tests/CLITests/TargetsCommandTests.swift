import Foundation
import Testing

/// plan, apply, status and delete on several targets of a targets file against the local server:
/// targets converge concurrently with one summary, an account guard refuses its target before any
/// DynamoDB request, a blocked change fails only its table, and a protected target asks for its name.
/// boto3 checks what was (and was not) created.
@Suite struct TargetsCommandTests {
    /// The profiles examples/targets.lua names, each a role in its own account of moto's STS (moto
    /// keeps each account's tables apart), and AWS_ENDPOINT_URL sending DynamoDB and STS to moto.
    struct Accounts {
        let directory: ScriptDirectory
        let environment: [String: String]

        init() throws {
            directory = try ScriptDirectory()
            var environment = LocalDynamoDB.clientEnvironment
            environment["AWS_ACCESS_KEY_ID"] = ""
            environment["AWS_SECRET_ACCESS_KEY"] = ""
            environment["AWS_REGION"] = ""
            environment["AWS_DEFAULT_REGION"] = ""
            environment["HOME"] = directory.path
            environment["AWS_CONFIG_FILE"] = directory.path + "/.aws/config"
            environment["AWS_SHARED_CREDENTIALS_FILE"] = directory.path + "/.aws/credentials"
            environment["AWS_EC2_METADATA_DISABLED"] = "true"
            environment["AWS_ENDPOINT_URL"] = try LocalDynamoDB.endpoint()
            self.environment = environment
            var config = "[profile sentinel-base]\nregion = us-east-1\n"
            for (name, account) in Self.accounts {
                config += """
                    [profile sentinel-\(name)]
                    role_arn = arn:aws:iam::\(account):role/sentinel-deploy
                    source_profile = sentinel-base

                    """
            }
            try directory.write(".aws/config", config)
            try directory.write(
                ".aws/credentials",
                "[sentinel-base]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
        }

        static let accounts = [
            ("dev", "111111111111"), ("staging", "222222222222"), ("prod", "333333333333"),
        ]

        func tool(_ arguments: [String]) throws -> CommandResult {
            try CommandRunner.run(
                arguments, in: CommandRunner.repositoryRoot, environment: environment,
                killAfter: .seconds(120))
        }

        /// The tables boto3 sees in eu-west-1 of `account`, through a role assumed there.
        func tables(in account: String) throws -> [String] {
            let output = try LocalDynamoDB.boto3(
                """
                sts = boto3.client('sts', endpoint_url=sys.argv[1])
                c = sts.assume_role(RoleArn='arn:aws:iam::\(account):role/check', RoleSessionName='check')
                c = c['Credentials']
                d = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='eu-west-1',
                                 aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'],
                                 aws_session_token=c['SessionToken'])
                print(json.dumps(d.list_tables()['TableNames']))
                """)
            return try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String] ?? []
        }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    /// `[target: [table: status]]` from apply's JSON.
    static func applied(_ text: String) throws -> [String: [String: String]] {
        let targets = try #require(try json(text)["targets"] as? [[String: Any]])
        var result: [String: [String: String]] = [:]
        for target in targets {
            let name = try #require(target["target"] as? String)
            var tables: [String: String] = [:]
            for table in target["tables"] as? [[String: Any]] ?? [] {
                tables[table["table"] as? String ?? "?"] = table["status"] as? String
            }
            if let error = target["error"] as? String { tables["error"] = error }
            result[name] = tables
        }
        return result
    }

    /// The issue's "done when": the example targets converge with one summary; prod, protected, only
    /// with --yes-protected; each account holds its own tables; delete removes them again.
    @Test(.timeLimit(.minutes(3)))
    func theExampleTargetsConvergeEachInItsOwnAccount() throws {
        let home = try Accounts()
        defer { home.directory.remove() }
        let command = ["examples/bootstrap.lua", "--targets", "examples/targets.lua", "--all-targets"]
        let names = ["dev", "staging", "prod"].flatMap { env in
            ["sentinel-requests-\(env)", "sentinel-breakglass-\(env)", "sentinel-sessions-\(env)"]
        }
        // A table left by an earlier run of this test would make its target up to date: start clean.
        _ = try home.tool(
            ["delete"] + names + [
                "--targets", "examples/targets.lua", "--all-targets", "--yes", "--yes-protected",
            ])

        let first = try home.tool(["apply"] + command + ["--yes"])
        #expect(first.status == 1, "\(first.stderr)")
        #expect(
            first.stderr.contains("=== target dev: account 111111111111, region eu-west-1 ==="),
            "\(first.stderr)")
        #expect(first.stderr.contains("[staging] sentinel-sessions-staging: + create table"))
        #expect(
            first.stdout.contains("dev      sentinel-requests-dev        CREATED (2 steps)\n"),
            "\(first.stdout)")
        #expect(first.stdout.contains("staging  sentinel-sessions-staging    CREATED (2 steps)\n"))
        #expect(
            first.stdout.contains(
                "prod     -                            NOT APPLIED: target 'prod' is protected and there is no "
                    + "terminal to confirm it: run apply with --yes-protected; nothing was changed there"))
        #expect(first.stdout.hasSuffix("Apply: 3 targets; 6 changed, 0 up to date, 1 failed.\n"))
        #expect(try home.tables(in: "333333333333").filter { $0.hasSuffix("-prod") } == [])

        let second = try home.tool(["apply"] + command + ["--yes", "--yes-protected", "--json"])
        #expect(second.status == 0, "\(second.stderr)")
        let results = try Self.applied(second.stdout)
        #expect(results["prod"]?["sentinel-sessions-prod"] == "CREATED")
        #expect(results["dev"]?["sentinel-sessions-dev"] == "EXISTS")
        let json = try Self.json(second.stdout)
        let prod = (json["targets"] as? [[String: Any]])?.first { $0["target"] as? String == "prod" }
        #expect(prod?["account"] as? String == "333333333333")
        #expect(prod?["region"] as? String == "eu-west-1")

        for (env, account) in Accounts.accounts {
            #expect(
                try home.tables(in: account).filter { $0.hasSuffix("-" + env) }.sorted()
                    == ["sentinel-breakglass-\(env)", "sentinel-requests-\(env)", "sentinel-sessions-\(env)"])
        }

        // One name, every account: only prod's account has it.
        let status = try home.tool(
            [
                "status", "sentinel-sessions-prod", "--targets", "examples/targets.lua", "--all-targets",
                "--json",
            ])
        #expect(status.status == 0, "\(status.stderr)")
        let states = try #require(try Self.json(status.stdout)["targets"] as? [[String: Any]]).map { target in
            ((target["tables"] as? [[String: Any]])?.first?["status"] as? String) ?? "?"
        }
        #expect(states == ["NOT_FOUND", "ACTIVE", "NOT_FOUND"], "\(status.stdout)")

        let delete = try home.tool(
            ["delete"] + names + [
                "--targets", "examples/targets.lua", "--all-targets", "--yes", "--yes-protected",
            ])
        #expect(delete.status == 0, "\(delete.stderr)")
        #expect(delete.stderr.contains("[prod] sentinel-sessions-prod: deleted"))
        #expect(delete.stderr.contains("[dev] sentinel-sessions-prod: does not exist, nothing to delete"))
        #expect(try home.tables(in: "111111111111").filter { $0.hasSuffix("-dev") } == [])
    }

    /// Issue 29: a target file could not name an STS endpoint, so a target on a local endpoint could
    /// not have its account checked; and a target whose credentials failed said "region default"
    /// though its profile set one. `sts_endpoint_url` sends STS there (and only for that target), and
    /// the header says the region the target's configuration resolved to.
    @Test(.timeLimit(.minutes(5)))
    func aTargetNamesItsSTSEndpointAndAFailedTargetSaysItsRegion() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let endpoint = try LocalDynamoDB.endpoint()
        let id = "ct-sts-" + UUID().uuidString.prefix(8).lowercased()
        try directory.write(
            "targets.lua",
            """
            local endpoint = "\(endpoint)"
            return {
              checked = { endpoint_url = endpoint, sts_endpoint_url = endpoint, account = "123456789012",
                          region = "us-east-1", args = { "checked" } },
              unchecked = { endpoint_url = endpoint, region = "us-east-1", args = { "unchecked" } },
              broken = { profile = "broken", endpoint_url = endpoint, args = { "broken" } },
            }
            """)
        try directory.write(
            ".aws/config", "[profile broken]\nregion = eu-north-1\ncredential_process = false\n")
        try directory.write(".aws/credentials", "")
        try directory.write(
            "t.lua", "return sentinel.table { name = '\(id)-' .. arg[1], partition_key = 'id' }\n")
        var environment = LocalDynamoDB.clientEnvironment
        environment["AWS_ENDPOINT_URL_STS"] = ""
        environment["AWS_ENDPOINT_URL"] = ""
        environment["AWS_REGION"] = ""
        environment["AWS_DEFAULT_REGION"] = ""
        environment["AWS_CONFIG_FILE"] = directory.path + "/.aws/config"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = directory.path + "/.aws/credentials"
        let plan = try CommandRunner.run(
            ["plan", "t.lua", "--all-targets"], in: directory.path, environment: environment,
            killAfter: .seconds(60))
        #expect(plan.status == 1, "\(plan.stderr)")
        // STS was asked for the checked target only (moto's account for any keys is 123456789012).
        #expect(
            plan.stdout.contains("=== target checked: account 123456789012, region us-east-1 ==="),
            "\(plan.stdout)")
        #expect(
            plan.stdout.contains(
                "=== target unchecked: account not checked (no STS endpoint), region us-east-1 ==="),
            "\(plan.stdout)")
        #expect(plan.stdout.contains("\(id)-checked: will be created"), "\(plan.stdout)")
        // The broken target's credentials fail; its header still says its profile's region.
        #expect(
            plan.stdout.contains("=== target broken: account unknown, region eu-north-1 ==="),
            "\(plan.stdout)")
        #expect(plan.stdout.contains("credential_process"), "\(plan.stdout)")
        #expect(!plan.stdout.contains("region default"), "\(plan.stdout)")

        // A target file's STS endpoint that is not a URL is its own field's error.
        try directory.write("bad.lua", "return { x = { sts_endpoint_url = 'nowhere' } }\n")
        let bad = try CommandRunner.run(
            ["plan", "t.lua", "--all-targets", "--targets", "bad.lua"], in: directory.path,
            environment: environment)
        #expect(bad.status == 1)
        #expect(
            bad.stderr.contains("bad.lua: x.sts_endpoint_url: is not an http(s) URL: 'nowhere'"),
            "\(bad.stderr)")
    }

    /// Four targets on the local server, told apart by their script argument: two converge, one has a
    /// blocked change (its table only fails), and one whose account guard does not match the
    /// credentials is refused before any DynamoDB request.
    @Test(.timeLimit(.minutes(5)))
    func oneTargetsFailureDoesNotStopTheOthers() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let endpoint = try LocalDynamoDB.endpoint()
        let id = "ct-tg-" + UUID().uuidString.prefix(8).lowercased()
        try directory.write(
            "targets.lua",
            """
            local endpoint = "\(endpoint)"
            return {
              a = { endpoint_url = endpoint, args = { "a" } },
              b = { endpoint_url = endpoint, args = { "b" }, account = "123456789012" },
              blocked = { endpoint_url = endpoint, args = { "blocked" } },
              wrong = { endpoint_url = endpoint, args = { "wrong" }, account = "111111111111" },
            }
            """)
        try directory.write(
            "t.lua", "return sentinel.table { name = '\(id)-' .. arg[1], partition_key = 'id' }\n")
        // The blocked target's table exists with another key: a change that needs a new table.
        _ = try LocalDynamoDB.boto3(
            """
            ddb.create_table(TableName='\(id)-blocked', KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}],
                             AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}],
                             BillingMode='PAY_PER_REQUEST')
            """)
        var environment = LocalDynamoDB.clientEnvironment
        environment["AWS_ENDPOINT_URL_STS"] = endpoint
        let run = { (arguments: [String]) in
            try CommandRunner.run(
                arguments, in: directory.path, environment: environment, killAfter: .seconds(60))
        }

        let plan = try run(["plan", "t.lua", "--all-targets"])
        #expect(plan.status == 1, "\(plan.stderr)")
        #expect(
            plan.stdout.contains(
                "=== target a: account 123456789012, region us-east-1 ===\n\(id)-a: will be created\n"))
        #expect(plan.stdout.contains("\(id)-blocked: blocked, the table will not be touched"))
        #expect(
            plan.stdout.contains(
                "wrong    123456789012?  us-east-1  FAILED: the credentials belong to account 123456789012 "
                    + "(arn:aws:sts::123456789012:user/moto), not to the allowed account 111111111111; nothing was "
                    + "sent to DynamoDB")
                || plan.stdout.contains(
                    "not to the allowed account 111111111111; nothing was sent to DynamoDB"),
            "\(plan.stdout)")

        let apply = try run(["apply", "t.lua", "--all-targets", "--yes", "--json", "--parallel", "2"])
        #expect(apply.status == 1, "\(apply.stderr)")
        let results = try Self.applied(apply.stdout)
        #expect(results["a"] == ["\(id)-a": "CREATED"])
        #expect(results["b"] == ["\(id)-b": "CREATED"])
        #expect(results["blocked"] == ["\(id)-blocked": "FAILED"])
        #expect(
            results["wrong"]?["error"]?.hasPrefix("the credentials belong to account 123456789012") == true,
            "\(apply.stdout)")
        for suffix in ["a", "b", "blocked"] { #expect(try CredentialCommandTests.exists("\(id)-\(suffix)")) }
        #expect(try !CredentialCommandTests.exists("\(id)-wrong"))

        // The script's arguments come from the targets; a name not in the file is a usage error.
        let extra = try run(["plan", "t.lua", "x", "--target", "a"])
        #expect(extra.status == 2)
        #expect(
            extra.stderr.contains("the script's arguments come from each target's args"), "\(extra.stderr)")
        let fileOnly = try run(["plan", "t.lua", "--targets", "targets.lua"])
        #expect(fileOnly.status == 2)
        #expect(
            fileOnly.stderr.contains("choose targets with --target NAME or --all-targets"),
            "\(fileOnly.stderr)")
        let unknown = try run(["plan", "t.lua", "--target", "wrnog"])
        #expect(unknown.status == 2)
        #expect(
            unknown.stderr.contains(
                "unknown target 'wrnog' in targets.lua (did you mean 'wrong'?); its targets: a, b, blocked, wrong"
            ),
            "\(unknown.stderr)")
        try directory.write("bad.lua", "return { a = { regoin = 'eu-west-1', account = '42' } }\n")
        let bad = try run(["plan", "t.lua", "--targets", "bad.lua", "--all-targets"])
        #expect(bad.status == 1)
        #expect(
            bad.stderr == "bad.lua: a.account: must be a 12-digit AWS account id, got '42'\n"
                + "bad.lua: a.regoin: unknown field (did you mean 'region'?)\n")
        _ = try LocalDynamoDB.boto3(
            "for t in ['a', 'b', 'blocked']: ddb.delete_table(TableName='\(id)-' + t)")
    }

    /// In a terminal, a protected target with changes asks for its name even with --yes; a wrong
    /// answer changes nothing there, the right one applies.
    static let protectDriver = #"""
        import json, sys, pexpect

        spec = json.loads(sys.argv[1])
        def attempt(answer, status):
            child = pexpect.spawn(spec["binary"], spec["arguments"], cwd=spec["directory"], encoding="utf-8",
                                  timeout=30, dimensions=(24, 200))
            child.expect_exact("Target 'p' is protected. Type its name to go on with apply there: ")
            child.sendline(answer)
            child.expect(pexpect.EOF)
            child.close()
            if child.exitstatus != status:
                sys.exit("answer %r: exit status %r, not %r: %s" % (answer, child.exitstatus, status, child.before))
            return child.before
        refused = attempt("prod", 1)
        if "Not confirmed; nothing is changed on 'p'." not in refused:
            sys.exit("no refusal: " + refused)
        print("REFUSED-TABLES " + json.dumps(refused.count("CREATED")))
        applied = attempt("p", 0)
        if "CREATED" not in applied:
            sys.exit("not applied: " + applied)
        """#

    @Test(.timeLimit(.minutes(5)))
    func aProtectedTargetAsksForItsNameEvenWithYes() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let endpoint = try LocalDynamoDB.endpoint()
        let table = "ct-tgp-" + UUID().uuidString.prefix(8).lowercased()
        try directory.write(
            "targets.lua", "return { p = { endpoint_url = '\(endpoint)', protect = true } }\n")
        try directory.write("t.lua", "return sentinel.table { name = '\(table)', partition_key = 'id' }\n")
        let spec: [String: Any] = [
            "binary": CommandRunner.executable.path, "directory": directory.path,
            "arguments": ["apply", "t.lua", "--target", "p", "--yes"],
        ]
        var environment = LocalDynamoDB.clientEnvironment
        environment["TERM"] = "xterm"
        let (status, output) = try CommandRunner.runPythonDriver(
            Self.protectDriver,
            arguments: [String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)],
            environment: environment)
        #expect(status == 0, "\(output)")
        #expect(output.contains("REFUSED-TABLES 0"), "\(output)")
        #expect(try CredentialCommandTests.exists(table))
        _ = try LocalDynamoDB.boto3("ddb.delete_table(TableName='\(table)')")
    }
}

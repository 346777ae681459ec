import Foundation
import Testing

/// A multi-account global table through the commands a user runs, against scripts/dynamodb-delay-proxy's
/// emulation over moto: two accounts, each a target of the targets file whose profile's 12-digit access
/// key id is its account (the proxy's convention), the table in one and its replica made in the other with
/// CreateTable and `GlobalTableSourceArn`; boto3 checks each account on its own. A replica whose target's
/// credentials prove another account is refused before anything is sent there.
@Suite struct MultiAccountGlobalTableCommandTests {
    static let main = "111122223333"
    static let dr = "444455556666"
    static let liar = "777788889999"
    static let dr2 = "999988887777"

    /// The targets file, the profiles' credentials and the script (its replica's target from `arg[1]`).
    static func directory(proxy: DelayProxy, table: String) throws -> ScriptDirectory {
        let directory = try ScriptDirectory()
        try directory.write(
            "targets.lua",
            """
            local endpoint = "\(proxy.endpoint)"
            local function at(profile, region, account, args)
              return { profile = profile, region = region, account = account, endpoint_url = endpoint,
                       sts_endpoint_url = endpoint, args = args }
            end
            return {
              main = at("main", "us-east-1", "\(main)", { "dr" }),
              lying = at("main", "us-east-1", "\(main)", { "liar" }),
              dr = at("dr", "us-west-2", "\(dr)"),
              liar = at("liar", "us-west-2", nil),
              dr2 = at("dr2", "eu-west-1", "\(dr2)"),
            }
            """)
        // The same accounts, with the replica's target protected.
        try directory.write(
            "guarded.lua",
            """
            local endpoint = "\(proxy.endpoint)"
            return {
              main = { profile = "main", region = "us-east-1", account = "\(main)", endpoint_url = endpoint,
                       sts_endpoint_url = endpoint, args = { "vault" } },
              vault = { profile = "dr", region = "us-west-2", account = "\(dr)", endpoint_url = endpoint,
                        sts_endpoint_url = endpoint, protect = true },
            }
            """)
        try directory.write(
            ".aws/credentials",
            """
            [main]
            aws_access_key_id = \(main)
            aws_secret_access_key = secret
            [dr]
            aws_access_key_id = \(dr)
            aws_secret_access_key = secret
            [liar]
            aws_access_key_id = \(liar)
            aws_secret_access_key = secret
            [dr2]
            aws_access_key_id = \(dr2)
            aws_secret_access_key = secret

            """)
        try directory.write(".aws/config", "")
        try directory.write(
            "ma.lua",
            """
            return sentinel.schema.sessions {
              name = "\(table)", stream = "NEW_AND_OLD_IMAGES", settings_replication = "ENABLED",
              replicas = { { region = "us-west-2", account = "\(dr)", target = arg[1] } },
            }
            """)
        return directory
    }

    static func tool(_ arguments: [String], in directory: ScriptDirectory) throws -> CommandResult {
        var environment = LocalDynamoDB.clientEnvironment
        for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"] {
            environment[name] = nil
        }
        environment["AWS_CONFIG_FILE"] = directory.path + "/.aws/config"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = directory.path + "/.aws/credentials"
        return try CommandRunner.run(
            arguments, in: directory.path, environment: environment, killAfter: .seconds(240))
    }

    /// What each account has of `table`, asked of the proxy by boto3 with that account's key.
    static func accounts(_ table: String, _ proxy: DelayProxy) throws -> [String: String] {
        let text = try LocalDynamoDB.boto3(
            """
            from botocore.exceptions import ClientError
            def seen(account, region):
                client = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name=region,
                                      aws_access_key_id=account, aws_secret_access_key='secret')
                try:
                    table = client.describe_table(TableName='\(table)')['Table']
                except ClientError as failure:
                    return failure.response['Error']['Code']
                return ' '.join([table['TableArn'], table.get('GlobalTableSettingsReplicationMode', '-')] +
                                sorted('%s=%s' % (r['RegionName'], r.get('ReplicaArn', '').split(':')[4])
                                       for r in table.get('Replicas', [])))
            print('main:', seen('\(main)', 'us-east-1'))
            print('dr:', seen('\(dr)', 'us-west-2'))
            print('liar:', seen('\(liar)', 'us-west-2'))
            client = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1',
                                  aws_access_key_id='\(main)', aws_secret_access_key='secret')
            try:
                policy = json.loads(client.get_resource_policy(
                    ResourceArn='arn:aws:dynamodb:us-east-1:\(main):table/\(table)')['Policy'])
                print('policy:', sorted(statement['Sid'] for statement in policy['Statement']))
            except ClientError as failure:
                print('policy:', failure.response['Error']['Code'])
            """, endpoint: proxy.endpoint)
        var printed: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.range(of: ": ") else { continue }
            printed[String(line[..<colon.lowerBound])] = String(line[colon.upperBound...])
        }
        return printed
    }

    @Test(.timeLimit(.minutes(5)))
    func aReplicaInAnotherAccountIsPlannedAppliedAndShown() throws {
        let proxy = try DelayProxy(delay: 1)
        let table = "ma-" + UUID().uuidString.prefix(8).lowercased()
        let directory = try Self.directory(proxy: proxy, table: table)
        defer { directory.remove() }

        let plan = try Self.tool(["plan", "ma.lua", "--target", "main"], in: directory)
        #expect([0, 2].contains(plan.status), "\(plan.stdout)\n\(plan.stderr)")
        let planned = plan.stdout + plan.stderr
        #expect(
            planned.contains("create replica in us-west-2, account \(Self.dr) (target dr)"), "\(planned)")
        #expect(planned.contains("AllowTrustedAccountsToJoinThisGlobalTable"), "\(planned)")

        let apply = try Self.tool(["apply", "ma.lua", "--target", "main", "--yes"], in: directory)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        let seen = try Self.accounts(table, proxy)
        #expect(
            seen["main"]
                == "arn:aws:dynamodb:us-east-1:\(Self.main):table/\(table) ENABLED us-east-1=\(Self.main) "
                + "us-west-2=\(Self.dr)", "\(seen)")
        #expect(
            seen["dr"]
                == "arn:aws:dynamodb:us-west-2:\(Self.dr):table/\(table) ENABLED us-east-1=\(Self.main) "
                + "us-west-2=\(Self.dr)", "\(seen)")
        #expect(seen["liar"] == "ResourceNotFoundException", "\(seen)")
        #expect(
            seen["policy"]
                == "['AllowTrustedAccountsToJoinThisGlobalTable', 'DynamoDBActionsNeededForSteadyStateReplication']",
            "\(seen)")

        let again = try Self.tool(["plan", "ma.lua", "--target", "main"], in: directory)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(!(again.stdout + again.stderr).contains("create replica"), "\(again.stdout)")

        // The replica named with a target whose credentials prove another account: its statement cannot be
        // checked, so the plan is blocked, naming it, rather than up to date unchecked.
        let unchecked = try Self.tool(["plan", "ma.lua", "--target", "lying"], in: directory)
        #expect(unchecked.status != 0, "\(unchecked.stdout)\n\(unchecked.stderr)")
        #expect(
            (unchecked.stdout + unchecked.stderr).contains(
                "the policy of the replica in us-west-2, account \(Self.dr) not readable through target 'liar'"
            ),
            "\(unchecked.stdout)\n\(unchecked.stderr)")

        // Adopted through the table's target: the replica names the one target of the file for its account,
        // so the schema printed, or returned by `sentinel.schema.from_table` in a run with targets, applies
        // as it is.
        let adopted = try Self.tool(["schema", "--from-table", table, "--target", "main"], in: directory)
        #expect(adopted.status == 0, "\(adopted.stdout)\n\(adopted.stderr)")
        #expect(
            adopted.stdout.contains(#"account = "\#(Self.dr)""#)
                && adopted.stdout.contains(#"target = "dr""#),
            "\(adopted.stdout)")
        try directory.write("adopted.lua", adopted.stdout)
        let adoptedPlan = try Self.tool(["plan", "adopted.lua", "--target", "main"], in: directory)
        #expect(adoptedPlan.status == 0, "\(adoptedPlan.stdout)\n\(adoptedPlan.stderr)")
        try directory.write(
            "from-table.lua",
            """
            local s = sentinel.schema.from_table("\(table)")
            assert(s.replicas[1].target == "dr", tostring(s.replicas[1].target))
            return s
            """)
        let fromTable = try Self.tool(["plan", "from-table.lua", "--target", "main"], in: directory)
        #expect(fromTable.status == 0, "\(fromTable.stdout)\n\(fromTable.stderr)")

        // Adopted from the replica's side: the same table seen from its account, whose statements list that
        // account first. Its plan is up to date too: the statements are compared as IAM reads them, so the
        // two sides never rewrite each other's order.
        let fromReplica = try Self.tool(
            ["schema", "--from-table", table, "--targets", "guarded.lua", "--target", "vault"], in: directory)
        #expect(fromReplica.status == 0, "\(fromReplica.stdout)\n\(fromReplica.stderr)")
        #expect(fromReplica.stdout.contains(#"target = "main""#), "\(fromReplica.stdout)")
        try directory.write("replica-side.lua", fromReplica.stdout)
        let replicaSide = try Self.tool(
            ["plan", "replica-side.lua", "--targets", "guarded.lua", "--target", "vault"], in: directory)
        #expect(replicaSide.status == 0, "\(replicaSide.stdout)\n\(replicaSide.stderr)")

        // The policy deleted by hand: the schema leaves the policy alone, but the replica's statements
        // are apply's to keep, so plan shows them missing and apply puts them back.
        _ = try LocalDynamoDB.boto3(
            """
            client = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1',
                                  aws_access_key_id='\(Self.main)', aws_secret_access_key='secret')
            client.delete_resource_policy(ResourceArn='arn:aws:dynamodb:us-east-1:\(Self.main):table/\(table)')
            """, endpoint: proxy.endpoint)
        #expect(try Self.accounts(table, proxy)["policy"] == "PolicyNotFoundException")
        let drifted = try Self.tool(["plan", "ma.lua", "--target", "main"], in: directory)
        #expect(
            (drifted.stdout + drifted.stderr).contains("attach resource policy (1 statement)"),
            "\(drifted.stdout)\n\(drifted.stderr)")
        let restored = try Self.tool(["apply", "ma.lua", "--target", "main", "--yes"], in: directory)
        #expect(restored.status == 0, "\(restored.stdout)\n\(restored.stderr)")
        #expect(
            try Self.accounts(table, proxy)["policy"] == "['DynamoDBActionsNeededForSteadyStateReplication']")

        // The replica's own statement removed by hand in its account: read there through its target, and
        // put back there.
        _ = try LocalDynamoDB.boto3(
            """
            client = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-west-2',
                                  aws_access_key_id='\(Self.dr)', aws_secret_access_key='secret')
            client.delete_resource_policy(ResourceArn='arn:aws:dynamodb:us-west-2:\(Self.dr):table/\(table)')
            """, endpoint: proxy.endpoint)
        let peerDrift = try Self.tool(["plan", "ma.lua", "--target", "main"], in: directory)
        #expect(
            (peerDrift.stdout + peerDrift.stderr).contains(
                "restore the replication statement of the replica in us-west-2, account \(Self.dr)"),
            "\(peerDrift.stdout)\n\(peerDrift.stderr)")
        let peerRestored = try Self.tool(["apply", "ma.lua", "--target", "main", "--yes"], in: directory)
        #expect(peerRestored.status == 0, "\(peerRestored.stdout)\n\(peerRestored.stderr)")
        #expect(
            try Self.sourceAccounts(table, account: Self.dr, region: "us-west-2", proxy)
                == "\(Self.main) \(Self.dr)")
        let settled = try Self.tool(["plan", "ma.lua", "--target", "main"], in: directory)
        #expect(settled.status == 0, "\(settled.stdout)\n\(settled.stderr)")

        let status = try Self.tool(["status", table, "--target", "main"], in: directory)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(
            status.stdout.contains("replica     us-west-2 [ACTIVE] account \(Self.dr)"), "\(status.stdout)")
        #expect(status.stdout.contains("settings    replicated (ENABLED)"), "\(status.stdout)")

        // Removed from the schema: deleted in its account (the one target for it), only when confirmed.
        try directory.write(
            "ma.lua",
            "return sentinel.schema.sessions { name = \"\(table)\", stream = \"NEW_AND_OLD_IMAGES\" }\n")
        let removal = try Self.tool(["plan", "ma.lua", "--target", "main"], in: directory)
        #expect(
            (removal.stdout + removal.stderr).contains("delete replica in us-west-2, account \(Self.dr)"),
            "\(removal.stdout)")
        let refused = try Self.tool(["apply", "ma.lua", "--target", "main", "--yes"], in: directory)
        #expect(refused.status != 0, "\(refused.stdout)\n\(refused.stderr)")
        #expect(try Self.accounts(table, proxy)["dr"]?.hasPrefix("arn:") == true)
        let deleted = try Self.tool(
            ["apply", "ma.lua", "--target", "main", "--yes", "--yes-delete-replicas"], in: directory)
        #expect(deleted.status == 0, "\(deleted.stdout)\n\(deleted.stderr)")
        let after = try Self.accounts(table, proxy)
        #expect(after["dr"] == "ResourceNotFoundException", "\(after)")
        // The statements went with the last replica in another account (they were all the policy held).
        #expect(after["policy"] == "PolicyNotFoundException", "\(after)")
        #expect(after["main"] == "arn:aws:dynamodb:us-east-1:\(Self.main):table/\(table) ENABLED", "\(after)")
    }

    /// Warm throughput applies to every replica, and an account replica's quota is its own account's:
    /// asked there, through its target, before anything is made.
    @Test(.timeLimit(.minutes(3)))
    func anAccountReplicasQuotaIsAskedInItsAccount() throws {
        let proxy = try DelayProxy(delay: 0, arguments: ["--table-quota", "us-west-2=20000/20000"])
        let table = "ma-warm-" + UUID().uuidString.prefix(8).lowercased()
        let directory = try Self.directory(proxy: proxy, table: table)
        defer { directory.remove() }
        try directory.write(
            "warm.lua",
            """
            return sentinel.schema.sessions {
              name = "\(table)", stream = "NEW_AND_OLD_IMAGES", settings_replication = "ENABLED",
              warm_throughput = { read_units = 30000, write_units = 12000 },
              replicas = { { region = "us-west-2", account = "\(Self.dr)", target = "dr" } },
            }
            """)
        let plan = try Self.tool(["plan", "warm.lua", "--target", "main"], in: directory)
        let output = plan.stdout + plan.stderr
        #expect(![0, 2].contains(plan.status), "\(output)")
        #expect(output.contains("warm_throughput.read_units"), "\(output)")
        #expect(output.contains("a quota of 20000 in us-west-2, account \(Self.dr)"), "\(output)")
        #expect(!output.contains("write_units"), "\(output)")
        #expect(try Self.accounts(table, proxy)["main"] == "ResourceNotFoundException")
    }

    @Test(.timeLimit(.minutes(3)))
    func aTargetWhoseCredentialsProveAnotherAccountIsRefusedBeforeAnyCall() throws {
        let proxy = try DelayProxy(delay: 1)
        let table = "ma-liar-" + UUID().uuidString.prefix(8).lowercased()
        let directory = try Self.directory(proxy: proxy, table: table)
        defer { directory.remove() }

        let apply = try Self.tool(["apply", "ma.lua", "--target", "lying", "--yes"], in: directory)
        #expect(apply.status != 0, "\(apply.stdout)\n\(apply.stderr)")
        let output = apply.stdout + apply.stderr
        #expect(output.contains("target 'liar'"), "\(output)")
        #expect(output.contains(Self.liar), "\(output)")
        let seen = try Self.accounts(table, proxy)
        // Blocked in the plan: nothing was made, in either account.
        #expect(seen["main"] == "ResourceNotFoundException", "\(seen)")
        #expect(seen["liar"] == "ResourceNotFoundException", "\(seen)")
        #expect(seen["dr"] == "ResourceNotFoundException", "\(seen)")
    }

    @Test(.timeLimit(.minutes(3)))
    func anUnknownTargetIsNamedInThePlan() throws {
        let proxy = try DelayProxy(delay: 1)
        let table = "ma-unknown-" + UUID().uuidString.prefix(8).lowercased()
        let directory = try Self.directory(proxy: proxy, table: table)
        defer { directory.remove() }
        try directory.write(
            "ma.lua",
            """
            return sentinel.schema.sessions {
              name = "\(table)", stream = "NEW_AND_OLD_IMAGES",
              replicas = { { region = "us-west-2", account = "\(Self.dr)", target = "nowhere" } },
            }
            """)
        let plan = try Self.tool(["plan", "ma.lua", "--target", "main"], in: directory)
        let output = plan.stdout + plan.stderr
        #expect(output.contains("target 'nowhere' is not in the targets file"), "\(output)")

        // A replica in the run's own account is refused before the table is made, not after.
        try directory.write(
            "own.lua",
            """
            return sentinel.schema.sessions {
              name = "\(table)", stream = "NEW_AND_OLD_IMAGES", settings_replication = "ENABLED",
              replicas = { { region = "us-west-2", account = "\(Self.main)", target = "main" } },
            }
            """)
        let own = try Self.tool(["apply", "own.lua", "--target", "main", "--yes"], in: directory)
        #expect(own.status != 0, "\(own.stdout)\n\(own.stderr)")
        #expect((own.stdout + own.stderr).contains("is the table's own"), "\(own.stdout)\n\(own.stderr)")
        #expect(try Self.accounts(table, proxy)["main"] == "ResourceNotFoundException")
    }

    /// The policy statement `sid` of `table` in `account` and `region`, as the account ids it names in
    /// `aws:SourceAccount` (sorted), asked by boto3 with that account's key.
    static func sourceAccounts(_ table: String, account: String, region: String, _ proxy: DelayProxy) throws
        -> String
    {
        try LocalDynamoDB.boto3(
            """
            client = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='\(region)',
                                  aws_access_key_id='\(account)', aws_secret_access_key='secret')
            policy = json.loads(client.get_resource_policy(
                ResourceArn='arn:aws:dynamodb:\(region):\(account):table/\(table)')['Policy'])
            accounts = set()
            for statement in policy['Statement']:
                if statement.get('Sid') == 'DynamoDBActionsNeededForSteadyStateReplication':
                    found = statement['Condition']['StringEquals']['aws:SourceAccount']
                    accounts.update(found if isinstance(found, list) else [found])
            print(' '.join(sorted(accounts)))
            """, endpoint: proxy.endpoint
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// "All replicas must explicitly grant permissions to each other": a replica added later is let in by
    /// the replica already there (the emulation refuses the join otherwise), and a replica removed is no
    /// longer named by the one that stays.
    @Test(.timeLimit(.minutes(6)))
    func everyReplicaGrantsEveryOtherAsReplicasComeAndGo() throws {
        let proxy = try DelayProxy(delay: 0.5)
        let table = "ma-three-" + UUID().uuidString.prefix(8).lowercased()
        let directory = try Self.directory(proxy: proxy, table: table)
        defer { directory.remove() }
        let first = try Self.tool(["apply", "ma.lua", "--target", "main", "--yes"], in: directory)
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        try directory.write(
            "three.lua",
            """
            return sentinel.schema.sessions {
              name = "\(table)", stream = "NEW_AND_OLD_IMAGES", settings_replication = "ENABLED",
              replicas = { { region = "us-west-2", account = "\(Self.dr)", target = "dr" },
                           { region = "eu-west-1", account = "\(Self.dr2)", target = "dr2" } },
            }
            """)
        let second = try Self.tool(["apply", "three.lua", "--target", "main", "--yes"], in: directory)
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        let all = [Self.main, Self.dr, Self.dr2].sorted().joined(separator: " ")
        #expect(try Self.sourceAccounts(table, account: Self.dr, region: "us-west-2", proxy) == all)
        #expect(try Self.sourceAccounts(table, account: Self.dr2, region: "eu-west-1", proxy) == all)

        let removed = try Self.tool(
            ["apply", "ma.lua", "--target", "main", "--yes", "--yes-delete-replicas"], in: directory)
        #expect(removed.status == 0, "\(removed.stdout)\n\(removed.stderr)")
        #expect(
            try Self.sourceAccounts(table, account: Self.dr, region: "us-west-2", proxy)
                == [Self.main, Self.dr].sorted().joined(separator: " "))
    }

    /// A protected target is changed only with --yes-protected, for a replica made through it too: without
    /// it the replica step fails before its first request (the table's own policy included), with it the
    /// replica is made.
    @Test(.timeLimit(.minutes(5)))
    func aReplicaThroughAProtectedTargetNeedsYesProtected() throws {
        let proxy = try DelayProxy(delay: 0.5)
        let table = "ma-vault-" + UUID().uuidString.prefix(8).lowercased()
        let directory = try Self.directory(proxy: proxy, table: table)
        defer { directory.remove() }
        let refused = try Self.tool(
            ["apply", "ma.lua", "--target", "main", "--targets", "guarded.lua", "--yes"], in: directory)
        #expect(refused.status != 0, "\(refused.stdout)\n\(refused.stderr)")
        #expect(
            (refused.stdout + refused.stderr).contains("protected target 'vault'"),
            "\(refused.stdout)\n\(refused.stderr)")
        var seen = try Self.accounts(table, proxy)
        #expect(seen["dr"] == "ResourceNotFoundException", "\(seen)")
        #expect(seen["policy"] == "PolicyNotFoundException", "\(seen)")

        let allowed = try Self.tool(
            ["apply", "ma.lua", "--target", "main", "--targets", "guarded.lua", "--yes", "--yes-protected"],
            in: directory)
        #expect(allowed.status == 0, "\(allowed.stdout)\n\(allowed.stderr)")
        seen = try Self.accounts(table, proxy)
        #expect(seen["dr"]?.hasPrefix("arn:aws:dynamodb:us-west-2:\(Self.dr)") == true, "\(seen)")
    }

    /// A script's own `sentinel.plan` (directly and from a coroutine) under `--target` reaches a replica's target though the command did
    /// not choose it: every target of the file may be a replica's.
    @Test(.timeLimit(.minutes(3)))
    func aScriptsOwnPlanReachesAReplicaTargetTheRunDidNotChoose() throws {
        let proxy = try DelayProxy(delay: 0.5)
        let table = "ma-script-" + UUID().uuidString.prefix(8).lowercased()
        let directory = try Self.directory(proxy: proxy, table: table)
        defer { directory.remove() }
        try directory.write(
            "own.lua",
            """
            local s = sentinel.schema.sessions {
              name = "\(table)", stream = "NEW_AND_OLD_IMAGES", settings_replication = "ENABLED",
              replicas = { { region = "us-west-2", account = "\(Self.dr)", target = "dr" } },
            }
            local plan = sentinel.plan(s)[1]
            local co = coroutine.wrap(function() return sentinel.plan(s)[1] end)
            for _, result in ipairs({ plan, co() }) do
              print("blocked", #(result.blocked or {}), result.error or "")
              for _, action in ipairs(result.actions or {}) do print("action", action.summary) end
              for _, blocked in ipairs(result.blocked or {}) do print("because", blocked.live) end
            end
            """)
        // The script returns no schema: `plan` runs it on the target, and its own plans are what it prints.
        let run = try Self.tool(["plan", "own.lua", "--target", "main"], in: directory)
        let output = run.stdout + run.stderr
        #expect(!output.contains("not in the targets file"), "\(output)")
        #expect(output.components(separatedBy: "blocked\t0\t").count == 3, "\(output)")
        #expect(output.contains("create replica in us-west-2, account \(Self.dr) (target dr)"), "\(output)")
    }

}

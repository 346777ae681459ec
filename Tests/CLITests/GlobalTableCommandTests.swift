import Foundation
import Testing

/// Global tables through the commands a user runs, against scripts/dynamodb-delay-proxy's emulation of
/// DynamoDB's replicas over moto: a sessions table with two replicas is planned, applied, shown, adopted
/// back into Lua and changed (a replica added, one removed with its confirmation), and a strongly
/// consistent table with a witness is made. Each replica's region is checked with boto3 straight against
/// moto, which serves every region at once.
@Suite struct GlobalTableCommandTests {
    static func name(_ prefix: String) -> String { prefix + "-" + UUID().uuidString.prefix(8).lowercased() }

    /// The tool through `proxy` (the test region is us-east-1).
    static func tool(_ arguments: [String], _ proxy: DelayProxy) throws -> CommandResult {
        try CommandRunner.run(
            arguments + ["--endpoint-url", proxy.endpoint], environment: LocalDynamoDB.clientEnvironment)
    }

    /// The regions where moto has `table`, asked straight of moto by boto3, region by region.
    static func regions(of table: String, among regions: [String]) throws -> [String] {
        let answer = try LocalDynamoDB.boto3(
            """
            found = []
            for region in [\(regions.map { "'\($0)'" }.joined(separator: ", "))]:
                regional = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name=region)
                try:
                    regional.describe_table(TableName='\(table)')
                    found.append(region)
                except regional.exceptions.ResourceNotFoundException:
                    pass
            print(','.join(found))
            """)
        return answer.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").map(String.init)
    }

    /// A sessions table with `replicas`; us-west-2's keeps its own deletion protection and the table's tags.
    static func script(_ table: String, replicas: [String]) -> String {
        let list = replicas.map { region in
            region == "us-west-2"
                ? "{ region = \"\(region)\", deletion_protection = true, tags = \"propagate\" }"
                : "{ region = \"\(region)\" }"
        }.joined(separator: ", ")
        return """
            return sentinel.schema.sessions {
              name = "\(table)", stream = "NEW_AND_OLD_IMAGES", tags = { team = "platform" }, replicas = { \(list) },
            }
            """
    }

    /// The replica's deletion protection and tags, asked straight of moto in its region.
    static func regionalSettings(of table: String, in region: String) throws -> String {
        try LocalDynamoDB.boto3(
            """
            regional = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='\(region)')
            described = regional.describe_table(TableName='\(table)')['Table']
            tags = regional.list_tags_of_resource(ResourceArn=described['TableArn'])['Tags']
            print(described.get('DeletionProtectionEnabled', False), sorted((t['Key'], t['Value']) for t in tags))
            """
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let allRegions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"]

    @Test(.timeLimit(.minutes(5)))
    func aSessionsTableWithTwoReplicasIsAppliedShownAdoptedAndChanged() throws {
        let proxy = try DelayProxy(delay: 1)
        let table = Self.name("gt-sessions")
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("global.lua", Self.script(table, replicas: ["us-west-2", "eu-west-1"]))

        let plan = try Self.tool(["plan", directory.path + "/global.lua"], proxy)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("+   create replica in us-west-2"), "\(plan.stdout)")
        #expect(plan.stdout.contains("+   create replica in eu-west-1"), "\(plan.stdout)")

        let apply = try Self.tool(["apply", directory.path + "/global.lua", "--yes"], proxy)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(
            try Self.regions(of: table, among: Self.allRegions) == ["us-east-1", "us-west-2", "eu-west-1"])
        // The settings DynamoDB keeps per region, set in the replica's own region.
        #expect(try Self.regionalSettings(of: table, in: "us-west-2") == "True [('team', 'platform')]")
        #expect(try Self.regionalSettings(of: table, in: "eu-west-1") == "False []")
        // One replica change per UpdateTable, each after the one before settled.
        #expect(proxy.requests.filter { $0.operation == "UpdateTable" && $0.table == table }.count >= 2)

        let status = try Self.tool(["status", table], proxy)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(
            status.stdout.contains(
                "  replica     us-west-2 [ACTIVE] deletion protection on, point-in-time recovery off, tags team=platform"
            ),
            "\(status.stdout)")
        #expect(status.stdout.contains("  replica     eu-west-1 [ACTIVE]"), "\(status.stdout)")
        #expect(!status.stdout.contains("not managed"), "\(status.stdout)")

        let adopted = try Self.tool(["schema", "--from-table", table], proxy)
        #expect(adopted.status == 0, "\(adopted.stderr)")
        #expect(
            adopted.stdout.contains("us-west-2") && adopted.stdout.contains("eu-west-1"), "\(adopted.stdout)")
        try directory.write("adopted.lua", adopted.stdout)
        let again = try Self.tool(["plan", directory.path + "/adopted.lua", "--detailed-exitcode"], proxy)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        #expect(again.stdout.contains("\(table): up to date"), "\(again.stdout)")

        // Add ap-southeast-2, remove eu-west-1: without a terminal or the flag the deletion is refused,
        // and since it comes first nothing else is done.
        try directory.write("changed.lua", Self.script(table, replicas: ["us-west-2", "ap-southeast-2"]))
        let changePlan = try Self.tool(["plan", directory.path + "/changed.lua"], proxy)
        #expect(
            changePlan.stdout.contains("-   delete replica in eu-west-1 (deletes its items in eu-west-1)"))
        #expect(changePlan.stdout.contains("every item in it are deleted"), "\(changePlan.stdout)")
        let refused = try Self.tool(["apply", directory.path + "/changed.lua", "--yes"], proxy)
        #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(
            refused.stdout.contains("not done: deleting a replica deletes its items"), "\(refused.stdout)")
        #expect(refused.stderr.contains("--yes-delete-replicas"), "\(refused.stderr)")
        #expect(
            try Self.regions(of: table, among: Self.allRegions) == ["us-east-1", "us-west-2", "eu-west-1"])

        let changed = try Self.tool(
            ["apply", directory.path + "/changed.lua", "--yes", "--yes-delete-replicas"], proxy)
        #expect(changed.status == 0, "\(changed.stdout)\n\(changed.stderr)")
        #expect(
            try Self.regions(of: table, among: Self.allRegions) == [
                "us-east-1", "us-west-2", "ap-southeast-2",
            ])

        // A protected replica is not removed: the plan is blocked, naming why, and apply leaves it.
        try directory.write("unprotected.lua", Self.script(table, replicas: ["ap-southeast-2"]))
        let blocked = try Self.tool(
            ["apply", directory.path + "/unprotected.lua", "--yes", "--yes-delete-replicas"], proxy)
        #expect(blocked.status == 1, "\(blocked.stdout)\n\(blocked.stderr)")
        #expect(
            (blocked.stdout + blocked.stderr).contains("the replica in us-west-2 has deletion protection on"),
            "\(blocked.stdout)\n\(blocked.stderr)")
        #expect(try Self.regionalSettings(of: table, in: "us-west-2") == "True [('team', 'platform')]")
    }

    /// Answers the replica deletion question in a terminal with `answer` (`<ctrl-c>`: Ctrl-C instead, and
    /// the command must then end by itself); prints what the run showed.
    static let confirmDriver = #"""
        import json, sys, pexpect

        spec = json.loads(sys.argv[1])
        child = pexpect.spawn(spec["binary"], spec["arguments"], cwd=spec["directory"], encoding="utf-8",
                              timeout=120, dimensions=(24, 200))
        child.expect("Type the region's name to go on: ")
        seen = child.before + child.after
        if spec["answer"] == "<ctrl-c>":
            child.sendintr()
        else:
            child.sendline(spec["answer"])
        child.expect(pexpect.EOF)
        child.close()
        print(json.dumps({"status": child.exitstatus, "output": seen + child.before}))
        """#

    @Test(.timeLimit(.minutes(5)), arguments: [("eu-west-1", true), ("eu-west", false), ("<ctrl-c>", false)])
    func aReplicaIsDeletedOnlyWhenItsRegionIsTyped(answer: String, deleted: Bool) throws {
        let proxy = try DelayProxy(delay: 0.5)
        let table = Self.name("gt-confirm")
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("one.lua", Self.script(table, replicas: ["eu-west-1"]))
        try directory.write(
            "none.lua",
            "return sentinel.schema.sessions { name = \"\(table)\", stream = \"NEW_AND_OLD_IMAGES\" }")
        let apply = try Self.tool(["apply", directory.path + "/one.lua", "--yes"], proxy)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")

        let answered = try CommandRunner.runInTerminal(
            Self.confirmDriver,
            spec: [
                "binary": CommandRunner.executable.path, "directory": directory.path, "answer": answer,
                "arguments": ["apply", "none.lua", "--yes", "--endpoint-url", proxy.endpoint],
            ])
        let output = answered["output"] as? String ?? ""
        #expect(output.contains("Apply deletes the replica of '\(table)' in eu-west-1 and every item in it."))
        let interrupted = answer == "<ctrl-c>"
        #expect((answered["status"] as? Int) == (deleted ? 0 : interrupted ? 130 : 1), "\(output)")
        if interrupted {
            // Ctrl-C at the question ends the apply without waiting for Enter, and starts nothing more.
            #expect(output.contains("Interrupted; the replica in eu-west-1 is kept."), "\(output)")
            #expect(output.contains("INTERRUPTED"), "\(output)")
            #expect(!output.contains("\(table): - delete replica"), "\(output)")
        } else if !deleted {
            #expect(output.contains("Not confirmed; the replica in eu-west-1 is kept."), "\(output)")
        }
        let expected = deleted ? ["us-east-1"] : ["us-east-1", "eu-west-1"]
        #expect(try Self.regions(of: table, among: ["us-east-1", "eu-west-1"]) == expected)
    }

    @Test(.timeLimit(.minutes(5)))
    func aStronglyConsistentTableWithAWitnessIsMadeInOneStep() throws {
        let proxy = try DelayProxy(delay: 1)
        let table = Self.name("gt-strong")
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "strong.lua",
            """
            return sentinel.table {
              name = "\(table)", partition_key = "id", multi_region_consistency = "STRONG",
              replicas = { { region = "us-east-2" } }, witness = { region = "us-west-2" },
            }
            """)
        let plan = try Self.tool(["plan", directory.path + "/strong.lua"], proxy)
        #expect(
            plan.stdout.contains(
                "+   make a strongly consistent global table: replicas in us-east-2, witness in us-west-2"),
            "\(plan.stdout)\n\(plan.stderr)")
        let apply = try Self.tool(["apply", directory.path + "/strong.lua", "--yes"], proxy)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(
            try Self.regions(of: table, among: ["us-east-1", "us-east-2", "us-west-2"]) == [
                "us-east-1", "us-east-2",
            ])
        let status = try Self.tool(["status", table, "--json"], proxy)
        #expect(
            status.stdout.contains("\"multi_region_consistency\" : \"STRONG\"")
                || status.stdout.contains("\"multi_region_consistency\": \"STRONG\""), "\(status.stdout)")
        #expect(status.stdout.contains("\"witness\""), "\(status.stdout)")
        let upToDate = try Self.tool(["plan", directory.path + "/strong.lua", "--detailed-exitcode"], proxy)
        #expect(upToDate.status == 0, "\(upToDate.stdout)\n\(upToDate.stderr)")

        // The mode is fixed once made, and a region set is checked with the table's own region.
        try directory.write(
            "eventual.lua",
            """
            return sentinel.table {
              name = "\(table)", partition_key = "id", stream = "NEW_AND_OLD_IMAGES",
              replicas = { { region = "us-east-2" } },
            }
            """)
        let changed = try Self.tool(["plan", directory.path + "/eventual.lua"], proxy)
        #expect(changed.stdout.contains("multi_region_consistency"), "\(changed.stdout)")
        #expect(
            changed.stdout.contains("cannot change a global table's consistency mode"), "\(changed.stdout)")
    }

    @Test func aTableOfTheSameNameInTheReplicasRegionBlocksBeforeAnyChange() throws {
        let proxy = try DelayProxy(delay: 0.5, arguments: ["--disabled-region", "eu-west-3"])
        let table = Self.name("gt-taken")
        _ = try LocalDynamoDB.boto3(
            """
            boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='eu-west-1').create_table(
                TableName='\(table)', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST')
            """)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("taken.lua", Self.script(table, replicas: ["eu-west-1"]))
        let apply = try Self.tool(["apply", directory.path + "/taken.lua", "--yes"], proxy)
        #expect(apply.status == 1, "\(apply.stdout)\n\(apply.stderr)")
        let output = apply.stdout + apply.stderr
        #expect(output.contains("a table named '\(table)' in eu-west-1"), "\(output)")
        #expect(output.contains("delete or rename the table in eu-west-1 first"), "\(output)")
        #expect(!proxy.requests.contains { $0.operation == "CreateTable" && $0.table == table })

        // A region not enabled for the account: DynamoDB's refusal fails the step, naming it.
        let other = Self.name("gt-disabled")
        try directory.write("disabled.lua", Self.script(other, replicas: ["eu-west-3"]))
        let refused = try Self.tool(["apply", directory.path + "/disabled.lua", "--yes"], proxy)
        #expect(refused.status == 1, "\(refused.stdout)\n\(refused.stderr)")
        #expect(
            (refused.stdout + refused.stderr).contains("create replica in eu-west-3")
                && (refused.stdout + refused.stderr).contains("region is disabled"),
            "\(refused.stdout)\n\(refused.stderr)")
    }

    /// Warm throughput is the table's in every replica, and each region pre-warms only up to its own
    /// per-table quota: a replica's region with a lower quota blocks the plan before any call, a new table
    /// included; the same table without the replica is made.
    @Test func warmThroughputAboveAReplicaRegionsQuotaBlocksBeforeAnyCall() throws {
        let proxy = try DelayProxy(delay: 0.5, arguments: ["--table-quota", "eu-west-1=10000/10000"])
        let table = Self.name("gt-warm")
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        func script(_ replicas: String) -> String {
            """
            local s = sentinel.schema.sessions { name = "\(table)", stream = "NEW_AND_OLD_IMAGES", replicas = { \(replicas) } }
            s.gsis[1].warm_throughput = { read_units = 20000 }
            return s
            """
        }
        try directory.write("warm.lua", script(#"{ region = "eu-west-1" }"#))
        let apply = try Self.tool(["apply", directory.path + "/warm.lua", "--yes"], proxy)
        #expect(apply.status == 1, "\(apply.stdout)\n\(apply.stderr)")
        let output = apply.stdout + apply.stderr
        #expect(
            output.contains(
                "gsis[1].warm_throughput.read_units: the table has a quota of 10000 in eu-west-1"),
            "\(output)")
        #expect(!proxy.requests.contains { $0.operation == "CreateTable" && $0.table == table })
        #expect(try Self.regions(of: table, among: Self.allRegions).isEmpty)

        try directory.write("regional.lua", script(""))
        let regional = try Self.tool(["apply", directory.path + "/regional.lua", "--yes"], proxy)
        #expect(regional.status == 0, "\(regional.stdout)\n\(regional.stderr)")
        #expect(try Self.regions(of: table, among: Self.allRegions) == ["us-east-1"])
    }

    @Test(.timeLimit(.minutes(5)))
    func aMultiAttributeIndexKeyIsTheReplicasTooWithItsOverride() throws {
        let proxy = try DelayProxy(delay: 0.5)
        let table = Self.name("gt-multi")
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "multi.lua",
            """
            return sentinel.table {
              name = "\(table)", partition_key = "id", stream = "NEW_AND_OLD_IMAGES",
              gsis = { { name = "gsi-tenant", partition_key = { "tenant", "region" }, sort_key = "created_at" } },
              replicas = { { region = "us-west-2", gsis = { ["gsi-tenant"] = { on_demand_throughput = { max_read = 50 } } } } },
            }
            """)
        let apply = try Self.tool(["apply", directory.path + "/multi.lua", "--yes"], proxy)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        let keySchema = try LocalDynamoDB.boto3(
            """
            west = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-west-2')
            index = west.describe_table(TableName='\(table)')['Table']['GlobalSecondaryIndexes'][0]
            print(json.dumps([[e['AttributeName'], e['KeyType']] for e in index['KeySchema']]))
            """)
        #expect(
            keySchema.trimmingCharacters(in: .whitespacesAndNewlines)
                == #"[["tenant", "HASH"], ["region", "HASH"], ["created_at", "RANGE"]]"#)
        let upToDate = try Self.tool(["plan", directory.path + "/multi.lua", "--detailed-exitcode"], proxy)
        #expect(upToDate.status == 0, "\(upToDate.stdout)\n\(upToDate.stderr)")
        let status = try Self.tool(["status", table], proxy)
        #expect(status.stdout.contains("gsi-tenant on-demand maximum 50 read"), "\(status.stdout)")
    }

    @Test(.timeLimit(.minutes(5)))
    func aScriptDeletesOnlyTheReplicasItNamesDirectlyOrFromACoroutine() throws {
        let proxy = try DelayProxy(delay: 0.5)
        let table = Self.name("gt-script")
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("two.lua", Self.script(table, replicas: ["eu-west-1", "ap-southeast-2"]))
        let apply = try Self.tool(["apply", directory.path + "/two.lua", "--yes"], proxy)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        try directory.write(
            "drop.lua",
            """
            local one = sentinel.schema.sessions {
              name = "\(table)", stream = "NEW_AND_OLD_IMAGES", tags = { team = "platform" },
              replicas = { { region = "ap-southeast-2" } },
            }
            local refused = sentinel.apply(one)[1]
            print("unnamed", refused.status, refused.error)
            local co = coroutine.wrap(function() return sentinel.apply(one, { delete_replicas = { "eu-west-1" } }) end)
            print("named", co()[1].status)
            """)
        let run = try CommandRunner.run(
            ["run", "--endpoint-url", proxy.endpoint, directory.path + "/drop.lua"],
            environment: LocalDynamoDB.clientEnvironment)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("unnamed\tFAILED"), "\(run.stdout)")
        #expect(run.stdout.contains("not done: deleting a replica deletes its items"), "\(run.stdout)")
        #expect(run.stdout.contains("named\tUPDATED"), "\(run.stdout)")
        #expect(try Self.regions(of: table, among: Self.allRegions) == ["us-east-1", "ap-southeast-2"])
    }

    @Test func createTableFormatNamesTheReplicaUpdatesItCannotHold() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "global.lua", Self.script("gt-format", replicas: ["eu-west-1", "ap-southeast-2"]))
        let printed = try CommandRunner.run(
            ["schema", directory.path + "/global.lua", "--format", "create-table"],
            environment: LocalDynamoDB.clientEnvironment)
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(!printed.stdout.contains("Replica"), "\(printed.stdout)")
        #expect(
            printed.stderr.contains("table 'gt-format': CreateTable cannot make its replicas"),
            "\(printed.stderr)")
        #expect(
            printed.stderr.contains(
                #"{"TableName":"gt-format","ReplicaUpdates":[{"Create":{"RegionName":"eu-west-1"}}]}"#),
            "\(printed.stderr)")
        #expect(
            printed.stderr.contains(#"[{"Create":{"RegionName":"ap-southeast-2"}}]"#), "\(printed.stderr)")
        // The settings DynamoDB keeps per region are listed too, for the region whose replica has some.
        try directory.write("protected.lua", Self.script("gt-format", replicas: ["us-west-2"]))
        let protected = try CommandRunner.run(
            ["schema", directory.path + "/protected.lua", "--format", "create-table"],
            environment: LocalDynamoDB.clientEnvironment)
        #expect(protected.stderr.contains("the settings DynamoDB keeps per region"), "\(protected.stderr)")
        #expect(
            protected.stderr.contains(
                #"us-west-2 UpdateTable: {"TableName":"gt-format","DeletionProtectionEnabled":true}"#),
            "\(protected.stderr)")
        #expect(
            protected.stderr.contains(
                #"us-west-2 TagResource: {"ResourceArn":"arn:aws:dynamodb:us-west-2:ACCOUNT_ID:table/gt-format""#
            ),
            "\(protected.stderr)")
        // A replica in another account is made there: the note says how, rather than nothing.
        try directory.write(
            "account.lua",
            """
            return sentinel.schema.sessions { name = "gt-format", stream = "NEW_AND_OLD_IMAGES",
              settings_replication = "ENABLED",
              replicas = { { region = "us-west-2", account = "444455556666", target = "dr" } } }
            """)
        let account = try CommandRunner.run(
            ["schema", directory.path + "/account.lua", "--format", "create-table"],
            environment: LocalDynamoDB.clientEnvironment)
        #expect(account.status == 0, "\(account.stderr)")
        #expect(
            account.stderr.contains("its replica in us-west-2, account 444455556666 is made in that account"),
            "\(account.stderr)")
    }

    @Test func theTablesOwnRegionIsRefusedBeforeAnyCall() throws {
        let proxy = try DelayProxy(delay: 0)
        let table = Self.name("gt-own")
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("own.lua", Self.script(table, replicas: ["us-east-1"]))
        let plan = try Self.tool(["plan", directory.path + "/own.lua"], proxy)
        #expect(plan.status != 0)
        #expect(
            plan.stdout.contains("replicas[1].region: us-east-1 is the table's own region"), "\(plan.stdout)")
        #expect(proxy.requests.allSatisfy { $0.table != table })
        // `iam --region` knows the table's own region too, and refuses the same schema.
        let policy = try CommandRunner.run(
            ["iam", directory.path + "/own.lua", "--region", "us-east-1"],
            environment: LocalDynamoDB.clientEnvironment)
        #expect(policy.status != 0)
        #expect(
            policy.stderr.contains("replicas[1].region: us-east-1 is the table's own region"),
            "\(policy.stderr)")
        #expect(policy.stdout.isEmpty)
    }
}

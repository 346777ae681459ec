import Foundation
import Testing

/// `resource_policy` against moto (which keeps Put/Get/DeleteResourcePolicy with a RevisionId), checked
/// with boto3: attached after create, replaced, compared as JSON, left alone without the field, removed
/// by `false`; shown by status; adopted by `schema --from-table` with an empty plan; a caller refused
/// GetResourcePolicy (through scripts/dynamodb-delay-proxy's `--deny`, since moto allows every caller
/// everything) still plans, applies and reads status unless the schema sets the policy.
@Suite struct ResourcePolicyCommandTests {
    static func unique() -> String { "rp" + UUID().uuidString.prefix(8).lowercased() }

    /// A one-statement policy as a Lua table.
    static let luaPolicy = """
        { Version = "2012-10-17", Statement = { { Effect = "Allow",
          Principal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "dynamodb:GetItem", Resource = "*" } } }
        """

    /// The table's policy as boto3 reads it, its Statement[0].Action, or `none`.
    static func action(_ table: String) throws -> String {
        try LocalDynamoDB.boto3(
            """
            arn = ddb.describe_table(TableName='\(table)')['Table']['TableArn']
            try:
                print(json.loads(ddb.get_resource_policy(ResourceArn=arn)['Policy'])['Statement'][0]['Action'])
            except ddb.exceptions.PolicyNotFoundException:
                print('none')
            """
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func attachedReplacedShownAndRemoved() throws {
        let name = Self.unique()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        func script(_ policy: String) throws -> String {
            try directory.write(
                "t.lua", "return sentinel.table { name = '\(name)', partition_key = 'id'\(policy) }\n")
            return directory.path + "/t.lua"
        }
        let table = """
            , resource_policy = { Version = "2012-10-17", Statement = { { Effect = "Allow",
              Principal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "dynamodb:GetItem", Resource = "*" } } }
            """
        let created = try LocalDynamoDB.tool(["apply", try script(table), "--yes"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("+   attach resource policy (1 statement)"), "\(created.stderr)")
        #expect(try Self.action(name) == "dynamodb:GetItem")

        // The same policy as text, members reordered and spaced: no change.
        let text = """
            , resource_policy = [[ { "Statement": [ { "Resource": "*", "Action": "dynamodb:GetItem", "Effect": "Allow",
                "Principal": { "AWS": "arn:aws:iam::123456789012:root" } } ], "Version": "2012-10-17" } ]]
            """
        let same = try LocalDynamoDB.tool(["plan", try script(text), "--detailed-exitcode"])
        #expect(same.status == 0, "\(same.stdout)")

        let status = try LocalDynamoDB.tool(["status", name])
        #expect(status.stdout.contains("  policy      resource policy: 1 statement"), "\(status.stdout)")
        let json = try LocalDynamoDB.tool(["status", name, "--json"])
        #expect(json.stdout.contains("\"Action\": \"dynamodb:GetItem\""), "\(json.stdout)")

        let changed = text.replacingOccurrences(of: "dynamodb:GetItem", with: "dynamodb:Query")
        let plan = try LocalDynamoDB.tool(["plan", try script(changed)])
        #expect(plan.stdout.contains("~   replace resource policy (1 statement)"), "\(plan.stdout)")
        let replaced = try LocalDynamoDB.tool(["apply", try script(changed), "--yes"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try Self.action(name) == "dynamodb:Query")

        // Without the field the policy is left as it is: no step, and boto3 still reads it.
        let unmanaged = try LocalDynamoDB.tool(["plan", try script(""), "--detailed-exitcode"])
        #expect(unmanaged.status == 0, "\(unmanaged.stdout)")
        let kept = try LocalDynamoDB.tool(["apply", try script(""), "--yes"])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(!kept.stderr.contains("resource policy"), "\(kept.stderr)")
        #expect(try Self.action(name) == "dynamodb:Query")

        let removed = try LocalDynamoDB.tool(["apply", try script(", resource_policy = false"), "--yes"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stderr.contains("-   delete resource policy"), "\(removed.stderr)")
        #expect(try Self.action(name) == "none")
        let status2 = try LocalDynamoDB.tool(["status", name])
        #expect(!status2.stdout.contains("resource policy"), "\(status2.stdout)")
    }

    /// A policy boto3 attached (to a plain table and to one of Sentinel's) is adopted: the generated
    /// script's plan is empty.
    @Test func boto3PoliciesRoundTripThroughFromTable() throws {
        let plain = Self.unique()
        let sessions = Self.unique()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("s.lua", "return sentinel.schema.sessions { name = '\(sessions)' }\n")
        let applied = try LocalDynamoDB.tool(["apply", directory.path + "/s.lua", "--yes"])
        #expect(applied.status == 0, "\(applied.stderr)")
        _ = try LocalDynamoDB.boto3(
            """
            ddb.create_table(TableName='\(plain)', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST')
            policy = '''{
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "ReadOnly", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]},
                 "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": "*",
                 "Condition": {"Bool": {"aws:SecureTransport": "true"}, "NumericLessThan": {"dynamodb:x": 10}}},
                {"Effect": "Deny", "Principal": "*", "Action": "dynamodb:DeleteTable", "Resource": "*"}
              ]
            }'''
            for name in ['\(plain)', '\(sessions)']:
                arn = ddb.describe_table(TableName=name)['Table']['TableArn']
                ddb.put_resource_policy(ResourceArn=arn, Policy=policy)
            # An empty JSON list, which a Lua table literal cannot write: the script gives the JSON text.
            arn = ddb.describe_table(TableName='\(plain)')['Table']['TableArn']
            ddb.put_resource_policy(ResourceArn=arn, Policy=policy.replace('"Resource": "*"}', '"Resource": "*", "NotAction": []}'))
            """)
        let script = try FromTableCommandTests.planOfGeneratedScriptIsEmpty([plain, sessions])
        #expect(script.contains("s.resource_policy = {"), "\(script)")
        #expect(
            script.contains(#"resource_policy = "{"#) && script.contains(#"\"NotAction\":[]"#), "\(script)")
        let status = try LocalDynamoDB.tool(["status", plain])
        #expect(status.stdout.contains("resource policy: 2 statements"), "\(status.stdout)")
    }

    /// A policy boto3 put on a table whose schema has no `resource_policy` survives apply: the schema
    /// does not manage it (as Terraform's separate aws_dynamodb_resource_policy would leave it).
    @Test func aPolicyPutByAnotherToolSurvivesApplyWithoutTheField() throws {
        let name = Self.unique()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "t.lua",
            "return sentinel.table { name = '\(name)', partition_key = 'id', deletion_protection = false }\n")
        let created = try LocalDynamoDB.tool(["apply", directory.path + "/t.lua", "--yes"])
        #expect(created.status == 0, "\(created.stderr)")
        _ = try LocalDynamoDB.boto3(
            """
            arn = ddb.describe_table(TableName='\(name)')['Table']['TableArn']
            ddb.put_resource_policy(ResourceArn=arn, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                 "Action": "dynamodb:Scan", "Resource": "*"}]}))
            """)
        try directory.write(
            "t.lua",
            "return sentinel.table { name = '\(name)', partition_key = 'id', tags = { team = 'a' } }\n")
        let applied = try LocalDynamoDB.tool(["apply", directory.path + "/t.lua", "--yes"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(!applied.stderr.contains("resource policy"), "\(applied.stderr)")
        #expect(try Self.action(name) == "dynamodb:Scan")
    }

    /// A caller without dynamodb:GetResourcePolicy: the proxy answers GetResourcePolicy with
    /// AccessDeniedException, as IAM would (moto allows everything). Plan, apply and status work while
    /// the schema leaves the policy alone; a schema that sets it fails naming the table and permission.
    @Test func aCallerRefusedGetResourcePolicyStillConvergesUnmanagedTables() throws {
        let proxy = try DelayProxy(delay: 0, arguments: ["--deny", "GetResourcePolicy"])
        let name = Self.unique()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("t.lua", "return sentinel.table { name = '\(name)', partition_key = 'id' }\n")
        try directory.write(
            "p.lua",
            "return sentinel.table { name = '\(name)', partition_key = 'id', resource_policy = false }\n")
        let applied = try proxy.tool(["apply", "t.lua", "--yes"], in: directory.path)
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        let plan = try proxy.tool(["plan", "t.lua", "--detailed-exitcode"], in: directory.path)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let status = try proxy.tool(["status", name], in: directory.path)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(
            status.stdout.contains(
                "  policy      resource policy: not readable (needs dynamodb:GetResourcePolicy)"),
            "\(status.stdout)")
        let json = try proxy.tool(["status", name, "--json"], in: directory.path)
        #expect(json.stdout.contains("\"resource_policy_readable\": false"), "\(json.stdout)")

        for command in ["plan", "apply"] {
            let managed = try proxy.tool(
                [command, "p.lua"] + (command == "apply" ? ["--yes"] : []), in: directory.path)
            #expect(managed.status != 0, "\(command): \(managed.stdout)")
            let output = managed.stdout + managed.stderr
            #expect(
                output.contains("table '\(name)': GetResourcePolicy was refused"), "\(command): \(output)")
            #expect(output.contains("dynamodb:GetResourcePolicy permission"), "\(command): \(output)")
        }
    }

    /// A policy put that the caller may not read back (no dynamodb:GetResourcePolicy, or a policy that
    /// denies it): apply says so at once, naming the permission, rather than waiting for a read that
    /// will never pass (a wait that ran out would say "gave up").
    @Test func aPolicyThatCannotBeReadBackIsSaidAtOnce() throws {
        let proxy = try DelayProxy(delay: 0, arguments: ["--deny", "GetResourcePolicy"])
        let name = Self.unique()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "p.lua",
            """
            return sentinel.table { name = '\(name)', partition_key = 'id', resource_policy = \(Self.luaPolicy) }

            """)
        let applied = try proxy.tool(
            ["apply", "p.lua", "--yes", "--wait-timeout", "120"], in: directory.path)
        let output = applied.stdout + applied.stderr
        #expect(applied.status != 0, "\(output)")
        #expect(output.contains("GetResourcePolicy was refused"), "\(output)")
        #expect(output.contains("dynamodb:GetResourcePolicy permission"), "\(output)")
        #expect(!output.contains("gave up"), "\(output)")
    }

    /// `iam` grants the policy actions only on tables whose schema sets `resource_policy`.
    @Test func iamListsThePolicyActionsOnlyForTablesThatSetAPolicy() throws {
        let iam = try CommandRunner.run(["iam", "sessions"], in: CommandRunner.repositoryRoot)
        #expect(!iam.stdout.contains("ResourcePolicy"), "\(iam.stdout)")
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "t.lua",
            """
            return { sentinel.table { name = 'plain', partition_key = 'id' },
                     sentinel.table { name = 'closed', partition_key = 'id', resource_policy = false } }

            """)
        let scripted = try CommandRunner.run(
            ["iam", directory.path + "/t.lua"], in: CommandRunner.repositoryRoot)
        #expect(scripted.status == 0, "\(scripted.stderr)")
        for action in ["GetResourcePolicy", "PutResourcePolicy", "DeleteResourcePolicy"] {
            #expect(scripted.stdout.contains("\"dynamodb:\(action)\""), "\(scripted.stdout)")
        }
        #expect(scripted.stdout.contains("\"SentinelTableResourcePolicies\""), "\(scripted.stdout)")
    }
}

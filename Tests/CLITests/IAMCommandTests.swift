import Foundation
import Testing

@Suite struct IAMCommandTests {
    @Test func builtInPolicyUsesTheRegionsPartitionAndAccount() throws {
        let result = try CommandRunner.run(
            [
                "iam", "--schema", "sessions", "--name", "s-prod", "--region", "cn-north-1", "--account",
                "123456789012",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        let policy = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(policy["Version"] as? String == "2012-10-17")
        let statements = policy["Statement"] as? [[String: Any]] ?? []
        let resources = statements.flatMap {
            $0["Resource"] as? [String] ?? [($0["Resource"] as? String) ?? ""]
        }
        #expect(resources.contains("arn:aws-cn:dynamodb:cn-north-1:123456789012:table/s-prod"))
        #expect(resources.contains("arn:aws-cn:dynamodb:cn-north-1:123456789012:table/s-prod/index/*"))
        let actions = statements.flatMap { $0["Action"] as? [String] ?? [] }
        #expect(actions.contains("dynamodb:CreateTable"))
        #expect(actions.contains("dynamodb:Query"))
    }

    @Test func scriptPolicyCoversEveryReturnedTableWithKMS() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "t.lua",
            """
            return { sentinel.schema.approvals(), sentinel.table { name = "audit", partition_key = "id",
              encryption = { type = "CUSTOMER_KEY", kms_key = "1234abcd-12ab-34cd-56ef-1234567890ab" } } }
            """)
        let result = try CommandRunner.run(["iam", "t.lua", "--region", "us-east-1"], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("arn:aws:dynamodb:us-east-1:*:table/sentinel-requests"))
        #expect(result.stdout.contains("arn:aws:dynamodb:us-east-1:*:table/audit"))
        #expect(result.stdout.contains("arn:aws:kms:us-east-1:*:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
    }

    static func actions(_ policy: String) throws -> Set<String> {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(policy.utf8)) as? [String: Any])
        let statements = document["Statement"] as? [[String: Any]] ?? []
        return Set(statements.flatMap { $0["Action"] as? [String] ?? [] })
    }

    @Test func scriptsTakeArgumentsAndAdministrationCanBeLeftOut() throws {
        let root = CommandRunner.repositoryRoot
        let result = try CommandRunner.run(
            ["iam", "examples/bootstrap.lua", "prod", "--region", "us-east-1"], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("arn:aws:dynamodb:us-east-1:*:table/sentinel-sessions-prod"))
        #expect(!result.stdout.contains("table/sentinel-sessions\""))
        let actions = try Self.actions(result.stdout)
        #expect(actions.isSuperset(of: ["dynamodb:DeleteTable", "dynamodb:ListTables"]))
        #expect(result.stdout.contains("\"SentinelTableListing\""))
        let restricted = try CommandRunner.run(["iam", "--no-admin", "--schema", "sessions"])
        #expect(restricted.status == 0, "\(restricted.stderr)")
        #expect(
            try Self.actions(restricted.stdout).isDisjoint(with: [
                "dynamodb:DeleteTable", "dynamodb:ListTables",
            ]))
        #expect(try CommandRunner.run(["iam", "--schema", "sessions", "prod"]).status == 2)
    }

    /// Every DynamoDB operation the tool's commands and script functions send (as `--verbose` logs
    /// them) is allowed by the policy `iam` prints for the same tables.
    @Test func thePolicyAllowsEveryOperationTheToolCalls() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = "iam-" + UUID().uuidString.prefix(8).lowercased()
        try directory.write(
            "v1.lua",
            """
            local t = sentinel.table { name = '\(table)', partition_key = 'id', sort_key = 'at',
              ttl = 'ttl', point_in_time_recovery = true, tags = { team = 'a', old = 'x' } }
            t:add_gsi { name = 'gsi-old', partition_key = 'old' }
            return t

            """)
        try directory.write(
            "v2.lua",
            """
            local t = sentinel.table { name = '\(table)', partition_key = 'id', sort_key = 'at',
              ttl = 'expires', tags = { team = 'b' }, deletion_protection = true }
            t:add_gsi { name = 'gsi-new', partition_key = 'new' }
            return t

            """)
        try directory.write(
            "data.lua",
            """
            local db, t = sentinel.db, '\(table)'
            assert(#db.tables() > 0)
            db.describe(t)
            db.put(t, { id = 'a', at = '1', new = 'n' })
            db.get(t, { id = 'a', at = '1' })
            db.update(t, { id = 'a', at = '1' }, { x = 1 })
            db.query(t, { where = { id = 'a' } })
            db.query(t, { index = 'gsi-new', where = { new = 'n' } })
            db.scan(t)
            db.count(t)
            for _ in db.each(t) do end
            db.put_all(t, { { id = 'b', at = '2' } })
            db.get_all(t, { { id = 'b', at = '2' } })
            db.delete(t, { id = 'a', at = '1' })
            sentinel.plan((require('v2')))
            sentinel.status(t)
            sentinel.wait(t)

            """)
        try directory.write(
            "off.lua",
            "local t = require('v2'); t.deletion_protection = false; return t\n")
        var operations: Set<String> = []
        for command in [
            ["apply", "v1.lua", "--yes"], ["plan", "v2.lua"], ["apply", "v2.lua", "--yes"],
            ["run", "--verbose", "--endpoint-url", try LocalDynamoDB.endpoint(), "data.lua"],
            ["status", table], ["apply", "off.lua", "--yes"], ["delete", table, "--yes"],
        ] {
            // `run` takes its options before the script; the others anywhere.
            let result =
                command[0] == "run"
                ? try CommandRunner.run(
                    command, in: directory.path, environment: LocalDynamoDB.clientEnvironment)
                : try LocalDynamoDB.tool(command + ["--verbose"], in: directory.path)
            // The TTL rename of v2 is DynamoDB's two-phase change: its second phase waits an hour
            // (PENDING, status 3; docs/cli.md).
            let expected: Int32 = command == ["apply", "v2.lua", "--yes"] ? 3 : 0
            #expect(result.status == expected, "\(command): \(result.stderr)")
            for line in result.stderr.split(separator: "\n") {
                guard let range = line.range(of: "operation=") else { continue }
                operations.insert(String(line[range.upperBound...].prefix { $0.isLetter }))
            }
        }
        #expect(
            operations.isSuperset(of: ["CreateTable", "UpdateTable", "DeleteTable", "ListTables", "Query"]))
        let policy = try CommandRunner.run(["iam", "v2.lua", "--region", "us-east-1"], in: directory.path)
        #expect(policy.status == 0, "\(policy.stderr)")
        let allowed = try Self.actions(policy.stdout)
        // `status` asks for every table's resource policy and shows it as not readable when refused
        // (ResourcePolicyCommandTests): the scripts here set none, so the policy grants none of its actions.
        operations.remove("GetResourcePolicy")
        #expect(operations.map { "dynamodb:" + $0 }.filter { !allowed.contains($0) } == [])
    }

    @Test(arguments: [
        ["iam"], ["iam", "--schema", "sessions", "x.lua"], ["iam", "--schema", "nope"],
        ["iam", "--schema", "sessions", "--account", "12"],
        ["iam", "--schema", "sessions", "--region", "moon"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }
}

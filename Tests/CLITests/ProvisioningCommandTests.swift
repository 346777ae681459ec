import Foundation
import Testing

/// plan, apply, status and delete against moto_server, checked with boto3 as an independent client.
@Suite struct ProvisioningCommandTests {
    static func unique() -> String { "t" + UUID().uuidString.prefix(8).lowercased() }

    /// The three tables as boto3 sees them: keys, GSIs, billing, SSE and TTL.
    static func describe(_ names: [String]) throws -> [[String: Any]] {
        let output = try LocalDynamoDB.boto3(
            """
            out = []
            for name in [\(names.map { "'\($0)'" }.joined(separator: ", "))]:
                t = ddb.describe_table(TableName=name)['Table']
                ttl = ddb.describe_time_to_live(TableName=name)['TimeToLiveDescription']
                out.append({'name': name, 'keys': t['KeySchema'], 'defs': t['AttributeDefinitions'],
                  'gsis': sorted([(g['IndexName'], [k['AttributeName'] for k in g['KeySchema']],
                                   g['Projection']['ProjectionType']) for g in t.get('GlobalSecondaryIndexes', [])]),
                  'billing': t.get('BillingModeSummary', {}).get('BillingMode'),
                  'sse': t.get('SSEDescription', {}).get('SSEType'), 'ttl': ttl.get('TimeToLiveStatus'),
                  'ttl_attribute': ttl.get('AttributeName')})
            print(json.dumps(out))
            """)
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
    }

    @Test func bootstrapCreatesSentinelsTablesAtParityAndASecondApplyIsANoOp() throws {
        let env = Self.unique()
        let apply = try LocalDynamoDB.tool(
            ["apply", "examples/bootstrap.lua", env, "--yes"], in: CommandRunner.repositoryRoot)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("sentinel-sessions-\(env): CREATED"))
        let tables = try Self.describe([
            "sentinel-requests-\(env)", "sentinel-breakglass-\(env)", "sentinel-sessions-\(env)",
        ])
        let expectedIndexes: [[String]] = [
            ["gsi-profile", "gsi-requester", "gsi-status"], ["gsi-invoker", "gsi-profile", "gsi-status"],
            ["gsi-profile", "gsi-server-instance", "gsi-status", "gsi-user"],
        ]
        for (table, indexes) in zip(tables, expectedIndexes) {
            let gsis = table["gsis"] as? [[Any]] ?? []
            #expect(gsis.compactMap { $0.first as? String } == indexes)
            #expect(gsis.allSatisfy { $0.last as? String == "ALL" })
            #expect((table["keys"] as? [[String: String]]) == [["AttributeName": "id", "KeyType": "HASH"]])
            #expect((table["defs"] as? [[String: String]])?.allSatisfy { $0["AttributeType"] == "S" } == true)
            #expect(table["billing"] as? String == "PAY_PER_REQUEST")
            #expect(table["sse"] as? String == "KMS")
            #expect(table["ttl"] as? String == "ENABLED" && table["ttl_attribute"] as? String == "ttl")
        }
        let serverInstance = (tables[2]["gsis"] as? [[Any]] ?? []).first {
            $0.first as? String == "gsi-server-instance"
        }
        #expect(serverInstance?[1] as? [String] == ["server_instance_id", "status"])

        let again = try LocalDynamoDB.tool(
            ["apply", "examples/bootstrap.lua", env, "--yes"], in: CommandRunner.repositoryRoot)
        #expect(again.status == 0)
        #expect(again.stdout.contains("Apply: 0 changed, 3 up to date, 0 failed."))
        let plan = try LocalDynamoDB.tool(
            ["plan", "examples/bootstrap.lua", env, "--detailed-exitcode"], in: CommandRunner.repositoryRoot)
        #expect(plan.status == 0, "\(plan.stdout)")
    }

    @Test func driftMadeWithBoto3IsPlannedAndRepaired() throws {
        let env = Self.unique()
        let table = "sentinel-sessions-\(env)"
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "tagged.lua",
            "return sentinel.schema.sessions { name = '\(table)', tags = { team = 'platform' }, point_in_time_recovery = true }\n"
        )
        #expect(try LocalDynamoDB.tool(["apply", "tagged.lua", "--yes"], in: directory.path).status == 0)
        _ = try LocalDynamoDB.boto3(
            """
            arn = ddb.describe_table(TableName='\(table)')['Table']['TableArn']
            ddb.update_table(TableName='\(table)', GlobalSecondaryIndexUpdates=[{'Delete': {'IndexName': 'gsi-profile'}}])
            ddb.update_time_to_live(TableName='\(table)', TimeToLiveSpecification={'Enabled': False, 'AttributeName': 'ttl'})
            ddb.update_continuous_backups(TableName='\(table)',
                PointInTimeRecoverySpecification={'PointInTimeRecoveryEnabled': False})
            ddb.tag_resource(ResourceArn=arn, Tags=[{'Key': 'team', 'Value': 'someone-else'}])
            """)
        let plan = try LocalDynamoDB.tool(["plan", "tagged.lua", "--detailed-exitcode"], in: directory.path)
        #expect(plan.status == 2, "\(plan.stderr)")
        #expect(plan.stdout.contains("create index gsi-profile"))
        #expect(plan.stdout.contains("enable TTL on ttl"))
        #expect(plan.stdout.contains("enable point-in-time recovery"))
        #expect(plan.stdout.contains("~   tag team: someone-else -> platform"))
        #expect(plan.stdout.contains("warning") == false)
        let json = try LocalDynamoDB.tool(["plan", "tagged.lua", "--json"], in: directory.path)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let actions = ((document["tables"] as? [[String: Any]])?.first?["actions"] as? [[String: Any]] ?? [])
            .compactMap {
                $0["action"] as? String
            }
        #expect(actions == ["create_index", "enable_ttl", "update_point_in_time_recovery", "tag"])
        let repair = try LocalDynamoDB.tool(["apply", "tagged.lua", "--yes"], in: directory.path)
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect(repair.stdout.contains("\(table): UPDATED (4 steps)"))
        #expect(
            try LocalDynamoDB.tool(["plan", "tagged.lua", "--detailed-exitcode"], in: directory.path).status
                == 0)
        let checked = try LocalDynamoDB.boto3(
            """
            t = ddb.describe_table(TableName='\(table)')['Table']
            pitr = ddb.describe_continuous_backups(TableName='\(table)')['ContinuousBackupsDescription']
            tags = ddb.list_tags_of_resource(ResourceArn=t['TableArn'])['Tags']
            print(len(t['GlobalSecondaryIndexes']), pitr['PointInTimeRecoveryDescription']['PointInTimeRecoveryStatus'],
                  [x['Value'] for x in tags if x['Key'] == 'team'][0])
            """)
        #expect(checked == "4 ENABLED platform\n")
    }

    @Test func aKeySchemaChangeIsBlockedAndLeavesTheTableUntouched() throws {
        let table = "blocked-" + Self.unique()
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("v1.lua", "return sentinel.table { name = '\(table)', partition_key = 'id' }\n")
        try directory.write(
            "v2.lua",
            "return sentinel.table { name = '\(table)', partition_key = { name = 'id', type = 'N' }, ttl = 'ttl' }\n"
        )
        #expect(try LocalDynamoDB.tool(["apply", "v1.lua", "--yes"], in: directory.path).status == 0)
        let blocked = try LocalDynamoDB.tool(["apply", "v2.lua", "--yes"], in: directory.path)
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("\(table): blocked"))
        #expect(blocked.stdout.contains("cannot be made in place"))
        // The blocked table's other differences are shown too, though not applied.
        #expect(blocked.stderr.contains("not applied while the table is blocked:\n  +   enable TTL on ttl"))
        // The suggested migrate acts where this apply looked: the endpoint given goes with it.
        #expect(
            blocked.stderr.contains(
                "sentinel-tables migrate v2.lua --endpoint-url \(try LocalDynamoDB.endpoint()) --table \(table) "
                    + "--to \(table)-v2"), "\(blocked.stderr)")
        let checked = try LocalDynamoDB.boto3(
            """
            t = ddb.describe_table(TableName='\(table)')['Table']
            ttl = ddb.describe_time_to_live(TableName='\(table)')['TimeToLiveDescription']['TimeToLiveStatus']
            print(t['AttributeDefinitions'][0]['AttributeType'], ttl)
            """)
        #expect(checked == "S DISABLED\n")
    }

    @Test func deleteRefusesProtectedTablesThenDeletes() throws {
        let env = Self.unique()
        let table = "sentinel-sessions-hardened-\(env)"
        let apply = try LocalDynamoDB.tool(
            ["apply", "examples/hardened.lua", env, "--yes"], in: CommandRunner.repositoryRoot)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let refused = try LocalDynamoDB.tool(["delete", table, "--yes"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("deletion protection on"))
        _ = try LocalDynamoDB.boto3(
            "ddb.update_table(TableName='\(table)', DeletionProtectionEnabled=False)\n")
        let deleted = try LocalDynamoDB.tool(["delete", table, "--yes"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let status = try LocalDynamoDB.tool(["status", table, "--json"])
        #expect(status.stdout.contains("\"NOT_FOUND\""))
        #expect(try LocalDynamoDB.tool(["delete", table, "--yes"]).status == 0)
    }

    @Test func deleteChecksEveryTableBeforeAskingAndDeletesNothingWhenOneIsProtected() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let open = "open-" + Self.unique()
        let protected = "protected-" + Self.unique()
        let missing = "missing-" + Self.unique()
        try directory.write(
            "tables.lua",
            """
            return { sentinel.table { name = '\(open)', partition_key = 'id' },
              sentinel.table { name = '\(protected)', partition_key = 'id', deletion_protection = true } }

            """)
        let apply = try LocalDynamoDB.tool(["apply", "tables.lua", "--yes"], in: directory.path)
        #expect(apply.status == 0, "\(apply.stderr)")

        // Without --yes and without a terminal, a protected table is still found before the prompt.
        let refused = try LocalDynamoDB.tool(["delete", open, protected, missing])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("table '\(protected)' has deletion protection on"))
        #expect(refused.stderr.contains("\(missing): does not exist, nothing to delete"))
        #expect(refused.stderr.contains("Nothing was deleted."))
        #expect(!refused.stderr.contains("This deletes"))
        let withYes = try LocalDynamoDB.tool(["delete", open, protected, "--yes"])
        #expect(withYes.status == 1)
        // Asked one by one: ListTables pages at 100 names, and the suite makes more tables than that.
        let tables = try LocalDynamoDB.boto3(
            """
            for name in ['\(open)', '\(protected)']:
                try:
                    ddb.describe_table(TableName=name)
                    print(name, 'exists')
                except ddb.exceptions.ResourceNotFoundException:
                    print(name, 'missing')

            """)
        #expect(tables == "\(open) exists\n\(protected) exists\n", "no partial delete: \(tables)")

        // The prompt's wording fits one table or several (shown before the terminal check refuses).
        let one = try LocalDynamoDB.tool(["delete", open, missing])
        #expect(one.stderr.contains("This deletes table '\(open)' and every item in it.\n"))
        _ = try LocalDynamoDB.boto3(
            "ddb.update_table(TableName='\(protected)', DeletionProtectionEnabled=False)\n")
        let two = try LocalDynamoDB.tool(["delete", open, protected])
        #expect(
            two.stderr.contains("This deletes 2 tables ('\(open)', '\(protected)') and every item in them.\n")
        )
        let deleted = try LocalDynamoDB.tool(["delete", open, protected, missing, "--yes"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stderr.contains("\(open): deleted"))
        #expect(deleted.stderr.contains("\(missing): does not exist, nothing to delete"))
    }

    @Test func applyWithoutATerminalNeedsYes() throws {
        let result = try LocalDynamoDB.tool(
            ["apply", "examples/bootstrap.lua", Self.unique()], in: CommandRunner.repositoryRoot)
        #expect(result.status == 1)
        #expect(result.stderr.contains("run apply with --yes"))
    }

    @Test func offlinePlanNeedsNoAWS() throws {
        let result = try CommandRunner.run(
            ["plan", "examples/bootstrap.lua", "--offline", "--json"], in: CommandRunner.repositoryRoot,
            environment: ["AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_CONFIG_FILE": "/nonexistent"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"create_table\""))
    }

    @Test func missingRegionIsOneClearMessage() throws {
        let result = try CommandRunner.run(
            ["status", "x"],
            environment: [
                "AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_CONFIG_FILE": "/nonexistent",
                "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PROFILE": "",
            ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("region"))
        #expect(result.stderr.contains("AWS_REGION"))
    }
}

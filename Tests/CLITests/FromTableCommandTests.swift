import Foundation
import Testing

/// `schema --from-table` against the local server: the script it writes for a live table plans
/// nothing against that table, for every example's tables and for tables boto3 made with settings the
/// examples do not use.
@Suite struct FromTableCommandTests {
    static func unique() -> String { "ft" + UUID().uuidString.prefix(8).lowercased() }

    /// Writes the script for `tables`, checks that `plan` of it is empty, and returns the script.
    @discardableResult
    static func planOfGeneratedScriptIsEmpty(_ tables: [String], extra: [String] = []) throws -> String {
        let generated = try LocalDynamoDB.tool(["schema", "--from-table"] + tables + extra)
        #expect(generated.status == 0, "\(generated.stderr)")
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("adopted.lua", generated.stdout)
        let plan = try LocalDynamoDB.tool(["plan", directory.path + "/adopted.lua", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(generated.stdout)\n\(plan.stdout)\n\(plan.stderr)")
        for table in tables { #expect(plan.stdout.contains("\(table): up to date"), "\(plan.stdout)") }
        return generated.stdout
    }

    /// The examples that return schemas; run-bootstrap.lua applies bootstrap.lua's tables,
    /// hello.lua makes none and targets.lua names where bootstrap.lua's tables go.
    static let declarativeExamples = ["bootstrap.lua", "device-sessions.lua", "hardened.lua"]

    @Test func everyExampleThatMakesTablesIsCovered() {
        let others = Set(ExamplesTests.examples).subtracting(Self.declarativeExamples)
        #expect(others == ["hello.lua", "run-bootstrap.lua", "targets.lua"])
    }

    @Test(arguments: declarativeExamples)
    func everyExamplesTablesRoundTrip(_ example: String) throws {
        let env = Self.unique()
        let apply = try LocalDynamoDB.tool(
            ["apply", "examples/\(example)", env, "--yes"], in: CommandRunner.repositoryRoot)
        #expect(apply.status == 0, "\(apply.stderr)")
        let schemas = try CommandRunner.run(
            ["schema", "examples/\(example)", env, "--format", "json"], in: CommandRunner.repositoryRoot,
            environment: ["SENTINEL_KMS_KEY": "alias/sentinel-tables"])
        let document = try JSONSerialization.jsonObject(with: Data(schemas.stdout.utf8))
        let list = (document as? [[String: Any]]) ?? [(document as? [String: Any]) ?? [:]]
        let names = list.compactMap { $0["name"] as? String }
        #expect(!names.isEmpty)
        let script = try Self.planOfGeneratedScriptIsEmpty(names)
        // Each of these is one of Sentinel's tables, so each is written on its built-in.
        #expect(script.components(separatedBy: "local s = sentinel.schema.").count == names.count + 1)
    }

    @Test func allSentinelReadsTheThreeDefaultNamesWithASuffix() throws {
        let env = Self.unique()
        let apply = try LocalDynamoDB.tool(
            ["apply", "examples/bootstrap.lua", env, "--yes"], in: CommandRunner.repositoryRoot)
        #expect(apply.status == 0, "\(apply.stderr)")
        let generated = try LocalDynamoDB.tool(["schema", "--all-sentinel", "--suffix", env])
        #expect(generated.status == 0, "\(generated.stderr)")
        for kind in ["approvals", "breakglass", "sessions"] {
            #expect(generated.stdout.contains("Sentinel's \(kind) schema, unchanged"))
        }
        // --suffix names the Sentinel tables: without --all-sentinel it is a usage error, not ignored.
        let ignored = try LocalDynamoDB.tool(["schema", "--from-table", "t1", "--suffix", env])
        #expect(ignored.status == 2, "\(ignored.stderr)")
        #expect(ignored.stderr.contains("--suffix applies with --all-sentinel"), "\(ignored.stderr)")
        // As `schema --help` says, with a bare --from-table too, before or after --all-sentinel.
        for arguments in [
            ["schema", "--from-table", "--all-sentinel", "--suffix", env],
            ["schema", "--all-sentinel", "--suffix", env, "--from-table"],
        ] {
            let same = try LocalDynamoDB.tool(arguments)
            #expect(same.status == 0, "\(arguments): \(same.stderr)")
            #expect(same.stdout == generated.stdout, "\(arguments)")
        }
        let names = ["sentinel-requests", "sentinel-breakglass", "sentinel-sessions"].map { "\($0)-\(env)" }
        try Self.planOfGeneratedScriptIsEmpty(names)
    }

    /// Tables made by boto3 with what the examples do not use: number and binary keys, LSIs, INCLUDE and
    /// KEYS_ONLY projections, provisioned indexes, a stream, the infrequent-access class, TTL on another
    /// attribute, tags with awkward text; and a sessions table edited by hand.
    @Test func tablesBoto3MadeRoundTrip() throws {
        let audit = Self.unique()
        let sessions = "sentinel-sessions-" + Self.unique()
        _ = try LocalDynamoDB.boto3(
            """
            audit, sessions = '\(audit)', '\(sessions)'
            ddb.create_table(TableName=audit,
              KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}, {'AttributeName': 'at', 'KeyType': 'RANGE'}],
              AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'N'}, {'AttributeName': 'at', 'AttributeType': 'B'},
                {'AttributeName': 'actor', 'AttributeType': 'S'}, {'AttributeName': 'n', 'AttributeType': 'N'}],
              BillingMode='PROVISIONED', ProvisionedThroughput={'ReadCapacityUnits': 3, 'WriteCapacityUnits': 4},
              GlobalSecondaryIndexes=[{'IndexName': 'by-actor', 'KeySchema': [{'AttributeName': 'actor', 'KeyType': 'HASH'}],
                'Projection': {'ProjectionType': 'INCLUDE', 'NonKeyAttributes': ['why', 'end']},
                'ProvisionedThroughput': {'ReadCapacityUnits': 1, 'WriteCapacityUnits': 2}}],
              LocalSecondaryIndexes=[{'IndexName': 'by-n', 'KeySchema': [{'AttributeName': 'id', 'KeyType': 'HASH'},
                {'AttributeName': 'n', 'KeyType': 'RANGE'}], 'Projection': {'ProjectionType': 'KEYS_ONLY'}}],
              StreamSpecification={'StreamEnabled': True, 'StreamViewType': 'NEW_AND_OLD_IMAGES'},
              TableClass='STANDARD_INFREQUENT_ACCESS', DeletionProtectionEnabled=True,
              Tags=[{'Key': 'cost center', 'Value': 'a b/c=d+e@f:g'}, {'Key': 'end', 'Value': 'x'}])
            ddb.update_time_to_live(TableName=audit, TimeToLiveSpecification={'Enabled': True, 'AttributeName': 'expires'})
            ddb.update_continuous_backups(TableName=audit,
              PointInTimeRecoverySpecification={'PointInTimeRecoveryEnabled': True})
            s = lambda name: {'AttributeName': name, 'AttributeType': 'S'}
            gsi = lambda name, pk, sk: {'IndexName': name, 'KeySchema': [{'AttributeName': pk, 'KeyType': 'HASH'},
              {'AttributeName': sk, 'KeyType': 'RANGE'}], 'Projection': {'ProjectionType': 'ALL'}}
            ddb.create_table(TableName=sessions, KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
              AttributeDefinitions=[s('id'), s('user'), s('status'), s('created_at'), s('server_instance_id'), s('device_id')],
              BillingMode='PAY_PER_REQUEST',
              GlobalSecondaryIndexes=[gsi('gsi-user', 'user', 'created_at'), gsi('gsi-status', 'status', 'created_at'),
                gsi('gsi-server-instance', 'server_instance_id', 'status'), gsi('gsi-device-id', 'device_id', 'created_at')],
              SSESpecification={'Enabled': True, 'SSEType': 'KMS'}, Tags=[{'Key': 'team', 'Value': 'platform'}])
            ddb.update_time_to_live(TableName=sessions, TimeToLiveSpecification={'Enabled': True, 'AttributeName': 'ttl'})
            """)
        let script = try Self.planOfGeneratedScriptIsEmpty([audit, sessions])
        #expect(script.contains("-- \(audit): not one of Sentinel's schemas"))
        #expect(
            script.contains(
                "-- \(sessions): Sentinel's sessions schema; differs in gsis (gsi-profile removed; "
                    + "gsi-device-id added), tags"))
        #expect(script.contains("-- DynamoDB reports KMS key arn:aws:kms:"))
        #expect(script.contains("s.tags.team = \"platform\""))
    }

    @Test func jsonAndCreateTableFormatsDescribeTheLiveTable() throws {
        let env = Self.unique()
        let apply = try LocalDynamoDB.tool(
            ["apply", "examples/device-sessions.lua", env, "--yes"], in: CommandRunner.repositoryRoot)
        #expect(apply.status == 0, "\(apply.stderr)")
        let name = "sentinel-sessions-\(env)"
        let json = try LocalDynamoDB.tool(["schema", "--from-table", name, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let fromLive = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? NSDictionary
        let declared = try CommandRunner.run(
            ["schema", "examples/device-sessions.lua", env, "--format", "json"],
            in: CommandRunner.repositoryRoot)
        #expect(
            fromLive == (try JSONSerialization.jsonObject(with: Data(declared.stdout.utf8)) as? NSDictionary))
        let request = try LocalDynamoDB.tool(["schema", "--from-table", name, "--format", "create-table"])
        #expect(request.status == 0, "\(request.stderr)")
        #expect(request.stdout.contains("\"TableName\": \"\(name)\""))
    }

    @Test func aMissingTableIsAnErrorAndNothingIsPrinted() throws {
        let result = try LocalDynamoDB.tool(["schema", "--from-table", "no-such-" + Self.unique()])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("does not exist"))
        let mixed = try LocalDynamoDB.tool(["schema", "sessions", "--from-table", "x"])
        #expect(mixed.status != 0 && mixed.stderr.contains("takes no schema source"))
    }
}

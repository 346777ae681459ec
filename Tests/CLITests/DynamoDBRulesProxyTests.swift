import Foundation
import Testing

/// Apply through the delay proxy while it enforces DynamoDB's rules (the proxy's rule flags): each rule
/// that moto alone would let pass is met as AWS would meet it, and apply follows it. Time rules are
/// scaled (`--rule-seconds-per-hour`), so these run in seconds; they assert what apply does, not how long.
@Suite struct DynamoDBRulesProxyTests {
    /// A fresh table name.
    static func name(_ prefix: String) -> String { prefix + "-" + UUID().uuidString.prefix(8).lowercased() }

    /// Exit status of an apply with a change PENDING (docs/cli.md).
    static let pendingStatus: Int32 = 3

    /// Applies `script` until it exits 0, at most `attempts` times, a second apart; every other exit
    /// must be PENDING. Returns every result.
    static func applyUntilConverged(
        _ proxy: DelayProxy, _ script: String, in directory: ScriptDirectory, attempts: Int = 12
    ) throws -> [CommandResult] {
        var results: [CommandResult] = []
        for _ in 0..<attempts {
            let result = try proxy.tool(["apply", script, "--yes"], in: directory.path)
            results.append(result)
            if result.status == 0 { break }
            #expect(result.status == pendingStatus, "\(result.stdout)\(result.stderr)")
            if result.status != pendingStatus { break }
            Thread.sleep(forTimeInterval: 1)
        }
        return results
    }

    @Test func aTimeToLiveRenameIsPendingThenFinishedByALaterApply() throws {
        let proxy = try DelayProxy(delay: 0.3, arguments: ["--rule-seconds-per-hour", "2"])
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = Self.name("ttl")
        try directory.write(
            "v1.lua", "return sentinel.table { name = '\(table)', partition_key = 'id', ttl = 'a' }\n")
        try directory.write(
            "v2.lua", "return sentinel.table { name = '\(table)', partition_key = 'id', ttl = 'b' }\n")
        let first = try proxy.tool(["apply", "v1.lua", "--yes"], in: directory.path)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

        let plan = try proxy.tool(["plan", "v2.lua"], in: directory.path)
        #expect(
            plan.stdout.contains("second phase") || plan.stderr.contains("second phase"), "\(plan.stderr)")
        #expect((plan.stdout + plan.stderr).contains("one TTL change per table per hour"))

        let runs = try Self.applyUntilConverged(proxy, "v2.lua", in: directory)
        // The rename cannot finish in one run: the first reports PENDING with the time the rest can run.
        let pending = try #require(runs.first)
        #expect(pending.status == Self.pendingStatus, "\(pending.stdout)\(pending.stderr)")
        #expect(pending.stdout.contains("\(table): PENDING: "), "\(pending.stdout)")
        #expect(pending.stdout.contains("can run from "))
        #expect(!pending.stdout.contains("FAILED"))
        #expect(runs.last?.status == 0, "\(runs.map { $0.stdout + $0.stderr })")
        let ttl = try LocalDynamoDB.boto3(
            "d = ddb.describe_time_to_live(TableName='\(table)')['TimeToLiveDescription']\n"
                + "print(d['TimeToLiveStatus'], d.get('AttributeName'))")
        #expect(ttl.trimmingCharacters(in: .whitespacesAndNewlines) == "ENABLED b")
        let again = try proxy.tool(["apply", "v2.lua", "--yes"], in: directory.path)
        #expect(again.status == 0)
        #expect(again.stdout.contains("\(table): up to date"), "\(again.stdout)")
    }

    /// The proxy's rule as boto3 meets it: a TTL attribute is changed by a disable then an enable, never
    /// by enabling the new name while the old one is on (moto renames it in place).
    @Test func theProxyRefusesEnablingTimeToLiveOnAnotherAttributeWhileOneIsOn() throws {
        let proxy = try DelayProxy(delay: 0, arguments: ["--rule-seconds-per-hour", "0"])
        let table = Self.name("ttl-rule")
        let answer = try LocalDynamoDB.boto3(
            """
            ddb.create_table(TableName='\(table)', BillingMode='PAY_PER_REQUEST',
                KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}])
            def ttl(name, enabled):
                try:
                    ddb.update_time_to_live(TableName='\(table)',
                        TimeToLiveSpecification={'AttributeName': name, 'Enabled': enabled})
                    return 'ok'
                except ddb.exceptions.ClientError as error:
                    return error.response['Error']['Code'] + ': ' + error.response['Error']['Message']
            print(ttl('a', True)); print(ttl('b', True)); print(ttl('a', False)); print(ttl('b', True))
            """, endpoint: proxy.endpoint)
        let lines = answer.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "ok",
                "ValidationException: TimeToLive is active on a different AttributeName: "
                    + "current AttributeName is a", "ok", "ok",
            ], "\(answer)")
    }

    @Test func pointInTimeRecoveryOnCreateWaitsForBackups() throws {
        let proxy = try DelayProxy(delay: 0.3, arguments: ["--backups-unavailable-seconds", "1.5"])
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = Self.name("pitr")
        try directory.write(
            "t.lua",
            "return sentinel.table { name = '\(table)', partition_key = 'id', point_in_time_recovery = true }\n"
        )
        let result = try proxy.tool(["apply", "t.lua", "--yes"], in: directory.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\(table): CREATED"))
        let log = proxy.requests.filter { $0.table == table }
        #expect(log.contains { $0.operation == "DescribeContinuousBackups" })
        let pitr = try LocalDynamoDB.boto3(
            "d = ddb.describe_continuous_backups(TableName='\(table)')['ContinuousBackupsDescription']\n"
                + "print(d['PointInTimeRecoveryDescription']['PointInTimeRecoveryStatus'])")
        #expect(pitr.trimmingCharacters(in: .whitespacesAndNewlines) == "ENABLED")
    }

    @Test func aStreamViewChangeDisablesWaitsThenEnables() throws {
        let proxy = try DelayProxy(delay: 1)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = Self.name("stream")
        try directory.write(
            "v1.lua",
            "return sentinel.table { name = '\(table)', partition_key = 'id', stream = 'NEW_IMAGE' }\n")
        try directory.write(
            "v2.lua",
            "return sentinel.table { name = '\(table)', partition_key = 'id', stream = 'KEYS_ONLY' }\n")
        let first = try proxy.tool(["apply", "v1.lua", "--yes"], in: directory.path)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let second = try proxy.tool(["apply", "v2.lua", "--yes"], in: directory.path)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("\(table): UPDATED"), "\(second.stdout)")
        // Through the proxy: moto cannot enable a stream again after a disable, so the proxy holds it.
        let view = try LocalDynamoDB.boto3(
            "print(ddb.describe_table(TableName='\(table)')['Table']['StreamSpecification']['StreamViewType'])",
            endpoint: proxy.endpoint)
        #expect(view.trimmingCharacters(in: .whitespacesAndNewlines) == "KEYS_ONLY")
    }

    @Test func tooManySimultaneousCreatesAreRetriedAndShown() throws {
        let proxy = try DelayProxy(delay: 1, arguments: ["--max-concurrent-creates", "1"])
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let names = (0..<3).map { _ in Self.name("limit") }
        try directory.write(
            "t.lua",
            "return { "
                + names.map { "sentinel.table { name = '\($0)', partition_key = 'id' }" }.joined(
                    separator: ", ")
                + " }\n")
        let result = try proxy.tool(["apply", "t.lua", "--yes"], in: directory.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for name in names { #expect(result.stdout.contains("\(name): CREATED"), "\(result.stdout)") }
        #expect(result.stderr.contains("LimitExceededException"), "\(result.stderr)")
        #expect(result.stderr.contains("retrying in"), "\(result.stderr)")
    }

    /// Issue 29: an index added with `add_gsi` that breaks the rules stops plan and apply before the
    /// caller line and before any request, as other schema errors do (it used to be "1 failed" after).
    @Test func anInvalidAddedIndexStopsBeforeAnyRequest() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = Self.name("badgsi")
        try directory.write(
            "t.lua",
            """
            local s = sentinel.schema.sessions { name = "\(table)" }
            s:add_gsi { name = "gsi-twice", partition_key = { "a", "a" } }
            return s
            """)
        let proxy = try DelayProxy(delay: 0)
        for command in [["plan", "t.lua"], ["apply", "t.lua", "--yes"]] {
            let result = try CommandRunner.run(
                command + ["--endpoint-url", proxy.endpoint], in: directory.path,
                environment: LocalDynamoDB.clientEnvironment)
            #expect(result.status == 1, "\(command)")
            #expect(
                result.stderr.hasPrefix("! table '\(table)' is invalid:\n"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("an index key may not repeat an attribute"), "\(result.stderr)")
            #expect(!result.stderr.contains("account not checked"), "\(command): \(result.stderr)")
        }
        #expect(proxy.requests.isEmpty, "\(proxy.requests)")
    }

    @Test func duplicateTableNamesAreRefusedNamingBothPositions() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = Self.name("dup")
        try directory.write(
            "t.lua",
            "local t = sentinel.table { name = '\(table)', partition_key = 'id' }\nreturn { t, t }\n")
        let result = try LocalDynamoDB.tool(["apply", "t.lua", "--yes"], in: directory.path)
        #expect(result.status == 1)
        #expect((result.stdout + result.stderr).contains("schemas #1 and #2 both name table '\(table)'"))
        let tables = try LocalDynamoDB.boto3("print('\(table)' in ddb.list_tables()['TableNames'])")
        #expect(tables.trimmingCharacters(in: .whitespacesAndNewlines) == "False")
    }

    /// moto replaces a table's AttributeDefinitions on UpdateTable (DynamoDB merges them): an index
    /// create that defines only its own keys leaves moto's table without its key's definition.
    @Test func anIndexCreateKeepsTheTablesAttributeDefinitions() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = Self.name("defs")
        try directory.write("v1.lua", "return sentinel.table { name = '\(table)', partition_key = 'id' }\n")
        try directory.write(
            "v2.lua",
            """
            return sentinel.table {
              name = '\(table)', partition_key = 'id', gsis = { { name = 'by-owner', partition_key = 'owner' } },
            }
            """)
        #expect(try LocalDynamoDB.tool(["apply", "v1.lua", "--yes"], in: directory.path).status == 0)
        let second = try LocalDynamoDB.tool(["apply", "v2.lua", "--yes"], in: directory.path)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        let names = try LocalDynamoDB.boto3(
            "print(' '.join(sorted(d['AttributeName'] for d in "
                + "ddb.describe_table(TableName='\(table)')['Table']['AttributeDefinitions'])))")
        #expect(names.trimmingCharacters(in: .whitespacesAndNewlines) == "id owner")
    }

    /// GetResourcePolicy is eventually consistent after a Put or Delete (the proxy answers the policy
    /// from before for a while): apply waits until the new policy is what it reads, so the next plan
    /// neither puts it again nor fails on a revision that is gone.
    @Test func aResourcePolicyChangeIsWaitedForUntilGetResourcePolicyShowsIt() throws {
        let proxy = try DelayProxy(delay: 0.3, arguments: ["--policy-propagation-seconds", "1.5"])
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let table = Self.name("policy")
        func write(_ file: String, action: String?) throws {
            let policy = action.map {
                ", resource_policy = { Version = '2012-10-17', Statement = { { Effect = 'Allow', "
                    + "Principal = { AWS = 'arn:aws:iam::123456789012:root' }, Action = '\($0)', Resource = '*' } } }"
            }
            try directory.write(
                file,
                "return sentinel.table { name = '\(table)', partition_key = 'id'\(policy ?? ", resource_policy = false") }\n"
            )
        }
        try write("v1.lua", action: "dynamodb:GetItem")
        try write("v2.lua", action: "dynamodb:Query")
        try write("v3.lua", action: nil)
        for (script, steps) in [("v1.lua", "2 steps"), ("v2.lua", "1 step"), ("v3.lua", "1 step")] {
            let result = try proxy.tool(["apply", script, "--yes"], in: directory.path)
            #expect(result.status == 0, "\(script): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("(\(steps))"), "\(script): \(result.stdout)")
            let again = try proxy.tool(["plan", script, "--detailed-exitcode"], in: directory.path)
            #expect(again.status == 0, "\(script): \(again.stdout)\(again.stderr)")
        }
        // Apply polled GetResourcePolicy while the proxy still answered the policy from before.
        let gets = proxy.requests.filter { $0.table == table && $0.operation == "GetResourcePolicy" }
        #expect(gets.count > 6, "\(gets.count)")
        let none = try LocalDynamoDB.boto3(
            """
            arn = ddb.describe_table(TableName='\(table)')['Table']['TableArn']
            try:
                ddb.get_resource_policy(ResourceArn=arn)
                print('policy')
            except ddb.exceptions.PolicyNotFoundException:
                print('none')
            """)
        #expect(none.trimmingCharacters(in: .whitespacesAndNewlines) == "none")
    }
}

import Foundation
import Testing

/// `migrate --via s3://...`, DynamoDB's own export and import, against a local server behind the delay
/// proxy: moto exports to and imports from its own S3, and the proxy makes both take a while (as on AWS)
/// and writes the manifests DynamoDB writes beside an export's data files, so an import that read more
/// than `data/` would fail here as it would on AWS.
@Suite struct MigrateThroughS3Tests {
    /// Every item of `table` as sorted JSON lines, by boto3.
    static func items(_ table: String, endpoint: String) throws -> String {
        try ExportImportTests.botoItems(table, endpoint: endpoint)
    }

    /// A table keyed by `id` holding `count` sessions, each with a unique `device` (the new key), point-in-
    /// time recovery on as `pitr` says; and an S3 bucket for exports.
    static func makeSessions(_ table: String, count: Int, pitr: Bool = true, bucket: String, endpoint: String)
        throws
    {
        _ = try LocalDynamoDB.boto3(
            """
            ddb.create_table(TableName='\(table)', BillingMode='PAY_PER_REQUEST',
                KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}])
            if \(pitr ? "True" : "False"):
                ddb.update_continuous_backups(TableName='\(table)',
                    PointInTimeRecoverySpecification={'PointInTimeRecoveryEnabled': True})
            def session(i):
                return {'id': {'S': 's%05d' % i}, 'device': {'S': 'd%05d' % i}, 'user': {'S': 'u%d' % (i % 7)},
                        'n': {'N': str(i)}, 'roles': {'SS': ['r', 'r%d' % (i % 3)]}, 'blob': {'B': bytes([i % 256])}}
            for start in range(0, \(count), 25):
                requests = [{'PutRequest': {'Item': session(i)}} for i in range(start, min(start + 25, \(count)))]
                ddb.batch_write_item(RequestItems={'\(table)': requests})
            s3 = boto3.client('s3', endpoint_url=sys.argv[1])
            if '\(bucket)' not in [b['Name'] for b in s3.list_buckets()['Buckets']]:
                s3.create_bucket(Bucket='\(bucket)')
            """, endpoint: endpoint)
    }

    static let byDevice = """
        local t = sentinel.table {
          name = "%TABLE%", partition_key = "device", ttl = "expires",
          gsis = { { name = "by_user", partition_key = "user", sort_key = { name = "n", type = "N" } } },
        }
        t.tags.moved = "yes"
        return t
        """

    static let byUser = """
        function migrate(item)
          item.pk = "USER#" .. item.user
          return item
        end
        return sentinel.table {
          name = "%TABLE%", partition_key = { name = "pk", type = "S" }, sort_key = { name = "id", type = "S" },
        }
        """

    /// The issue's "done when": 10,000 items move to a new partition key through migrate(item) on this
    /// machine, and through S3; boto3 checks every item of both copies, and the source is unchanged. On a
    /// server of its own: 30,000 items on the shared one would slow every other test's scans.
    @Test func tenThousandItemsMoveToANewPartitionKeyByEitherEngine() throws {
        let server = try PrivateDynamoDB()
        defer { server.stop() }
        let source = ExportImportTests.unique("s3-src")
        try Self.makeSessions(source, count: 10_000, bucket: "migrations", endpoint: server.endpoint)
        let before = try Self.items(source, endpoint: server.endpoint)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("user.lua", Self.byUser.replacingOccurrences(of: "%TABLE%", with: source))
        try directory.write("device.lua", Self.byDevice.replacingOccurrences(of: "%TABLE%", with: source))

        let local = try server.tool(
            ["migrate", "user.lua", "--table", source, "--to", source + "-by-user", "--yes"],
            in: directory.path)
        #expect(local.status == 0, "\(local.stderr)")
        #expect(local.stdout.contains("copied 10000 of 10000 items from \(source)"), "\(local.stdout)")
        let expected = try LocalDynamoDB.boto3(
            """
            lines = []
            for page in ddb.get_paginator('scan').paginate(TableName='\(source)', ConsistentRead=True):
                for item in page['Items']:
                    item['pk'] = {'S': 'USER#' + item['user']['S']}
                    lines.append(json.dumps(item, sort_keys=True, default=lambda b: list(bytes(b))))
            print('\\n'.join(sorted(lines)))
            """, endpoint: server.endpoint)
        #expect(try Self.items(source + "-by-user", endpoint: server.endpoint) == expected)

        let proxy = try DelayProxy(delay: 5, upstream: server.endpoint)
        let target = source + "-by-device"
        let s3 = try proxy.tool(
            [
                "migrate", "device.lua", "--table", source, "--to", target, "--yes",
                "--via", "s3://migrations/sessions/",
            ], in: directory.path)
        #expect(s3.status == 0, "\(s3.stderr)")
        #expect(
            s3.stdout.contains(
                "\(target): created by ImportTable; imported 10000 of the 10000 items exported from \(source) "
                    + "to s3://migrations/sessions"), "\(s3.stdout)")
        #expect(
            s3.stdout.contains("\(target) holds 10000 items (expected 10000); "), "\(s3.stdout)")
        #expect(s3.stdout.contains("read back, all equal"))
        // The same items, now keyed by device; the source as it was.
        let copied = try Self.items(target, endpoint: server.endpoint)
        #expect(copied.split(separator: "\n").count == 10_000)
        #expect(copied == before)
        #expect(try Self.items(source, endpoint: server.endpoint) == before)
        // ImportTable made the keys and the index; apply the TTL and the tags ImportTable cannot take.
        let described = try LocalDynamoDB.boto3(
            """
            table = ddb.describe_table(TableName='\(target)')['Table']
            ttl = ddb.describe_time_to_live(TableName='\(target)')['TimeToLiveDescription']
            tags = ddb.list_tags_of_resource(ResourceArn=table['TableArn'])['Tags']
            print([k['AttributeName'] for k in table['KeySchema']],
                  [i['IndexName'] for i in table.get('GlobalSecondaryIndexes', [])],
                  ttl.get('AttributeName'), [t['Value'] for t in tags if t['Key'] == 'moved'])
            """, endpoint: server.endpoint)
        #expect(described == "['device'] ['by_user'] expires ['yes']\n")
        // The export and the import were each started once and waited for while IN_PROGRESS.
        let operations = proxy.requests.map(\.operation)
        #expect(operations.filter { $0 == "ExportTableToPointInTime" }.count == 1)
        #expect(operations.filter { $0 == "ImportTable" }.count == 1)
        #expect(operations.filter { $0 == "DescribeExport" }.count > 1)
        #expect(operations.filter { $0 == "DescribeImport" }.count > 1)
    }

    /// What the S3 engine cannot do is said before anything is exported or created.
    @Test func whatTheS3EngineCannotDoIsRefusedFirst() throws {
        let endpoint = try LocalDynamoDB.endpoint()
        let source = ExportImportTests.unique("s3-nopitr")
        try Self.makeSessions(source, count: 3, pitr: false, bucket: "migrations", endpoint: endpoint)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("device.lua", Self.byDevice.replacingOccurrences(of: "%TABLE%", with: source))
        try directory.write("user.lua", Self.byUser.replacingOccurrences(of: "%TABLE%", with: source))
        try directory.write(
            "lsi.lua",
            "return sentinel.table { name = '\(source)', partition_key = 'user', sort_key = 'id', "
                + "lsis = { { name = 'by_n', sort_key = { name = 'n', type = 'N' } } } }\n")
        let proxy = try DelayProxy(delay: 0)
        let via = ["--via", "s3://migrations/refused", "--yes"]
        func migrate(_ script: String) throws -> CommandResult {
            try proxy.tool(
                ["migrate", script, "--table", source, "--to", source + "-v2"] + via, in: directory.path)
        }

        let noRecovery = try migrate("device.lua")
        #expect(noRecovery.status == 1)
        #expect(
            noRecovery.stderr.contains("exporting \(source) to S3 needs point-in-time recovery on it"),
            "\(noRecovery.stderr)")
        #expect(noRecovery.stderr.contains("point_in_time_recovery = true"))
        let transform = try migrate("user.lua")
        #expect(transform.status == 1)
        #expect(transform.stderr.contains("ImportTable copies items as they are"), "\(transform.stderr)")
        let lsi = try migrate("lsi.lua")
        #expect(lsi.status == 1)
        #expect(
            lsi.stderr.contains("ImportTable cannot create local secondary indexes (by_n)"), "\(lsi.stderr)")
        for refused in [noRecovery, transform, lsi] {
            #expect(refused.stderr.contains("\(source) was not changed"))
        }
        let operations = proxy.requests.map(\.operation)
        #expect(!operations.contains("ExportTableToPointInTime"))
        #expect(!operations.contains("CreateTable") && !operations.contains("ImportTable"))

        let badBucket = try proxy.tool(
            ["migrate", "device.lua", "--table", source, "--to", "x-v2", "--via", "s3://Not_A_Bucket/p"],
            in: directory.path)
        #expect(badBucket.status == 2)
        #expect(badBucket.stderr.contains("'Not_A_Bucket' is not a bucket name"), "\(badBucket.stderr)")
        let resume = try proxy.tool(
            ["migrate", "device.lua", "--table", source, "--to", "x-v2", "--via", "s3://b-1/p", "--resume"],
            in: directory.path)
        #expect(resume.status == 2)
        #expect(resume.stderr.contains("--resume and --page-size are for the copy through this machine"))
    }

    /// The answers to ExportTableToPointInTime and ImportTable are lost after DynamoDB acted (the proxy
    /// resets the connection): the client sends each again with its idempotency token, and DynamoDB (the
    /// proxy keeping its ClientToken rule; moto ignores tokens) answers without a second export or import.
    @Test func aLostAnswerStartsNoSecondExportOrImport() throws {
        let endpoint = try LocalDynamoDB.endpoint()
        let source = ExportImportTests.unique("s3-lost")
        try Self.makeSessions(source, count: 20, bucket: "migrations", endpoint: endpoint)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("device.lua", Self.byDevice.replacingOccurrences(of: "%TABLE%", with: source))
        let proxy = try DelayProxy(
            delay: 0.5,
            arguments: ["--reset-after", "ExportTableToPointInTime:1", "--reset-after", "ImportTable:1"])
        let prefix = "lost-" + source
        let result = try proxy.tool(
            [
                "migrate", "device.lua", "--table", source, "--to", source + "-v2", "--yes", "--via",
                "s3://migrations/\(prefix)",
            ], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("imported 20 of the 20 items"), "\(result.stdout)")
        let operations = proxy.requests.map(\.operation)
        #expect(operations.filter { $0 == "ExportTableToPointInTime" }.count == 2)
        #expect(operations.filter { $0 == "ImportTable" }.count == 2)
        let folders = try LocalDynamoDB.boto3(
            """
            s3 = boto3.client('s3', endpoint_url=sys.argv[1])
            keys = [o['Key'] for o in s3.list_objects_v2(Bucket='migrations', Prefix='\(prefix)/')['Contents']]
            print(len({key.split('/')[2] for key in keys}))
            """)
        #expect(folders == "1\n", "one export, not two")
    }

    /// Ctrl-C while DynamoDB exports: migrate stops waiting, says which export goes on (DynamoDB's job
    /// cannot be called back), exits 130, and has created nothing.
    @Test func anInterruptedWaitSaysWhichJobGoesOn() throws {
        let endpoint = try LocalDynamoDB.endpoint()
        let source = ExportImportTests.unique("s3-int")
        try Self.makeSessions(source, count: 5, bucket: "migrations", endpoint: endpoint)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write("device.lua", Self.byDevice.replacingOccurrences(of: "%TABLE%", with: source))
        // The export stays IN_PROGRESS far longer than the test waits before the interrupt.
        let proxy = try DelayProxy(delay: 120)
        let result = try CommandRunner.run(
            [
                "migrate", "device.lua", "--table", source, "--to", source + "-v2", "--yes", "--via",
                "s3://migrations/interrupted", "--endpoint-url", proxy.endpoint,
            ], in: directory.path, interruptAfter: .seconds(10), environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 130, "\(result.stderr)")
        #expect(result.stderr.contains("interrupted: the export arn:"), "\(result.stderr)")
        #expect(result.stderr.contains("goes on in DynamoDB"))
        #expect(result.stderr.contains("\(source) was not changed"))
        let operations = proxy.requests.map(\.operation)
        #expect(operations.contains("DescribeExport"))
        #expect(!operations.contains("ImportTable"))
    }

    /// Issue 29: `migrate --via` of a sessions table with a customer KMS key failed its read-back with
    /// `encryption DEFAULT -> KMS`: the request carried the SSESpecification, but moto's ImportTable
    /// dropped it, and the proxy now creates the imported table with it as DynamoDB does. And a step
    /// that fails after the import created the new table says the table is left and how to remove it.
    @Test func aSessionsTableWithACustomerKeyMigratesThroughS3() throws {
        let endpoint = try LocalDynamoDB.endpoint()
        let source = ExportImportTests.unique("s3-kms")
        try Self.makeSessions(source, count: 30, bucket: "migrations", endpoint: endpoint)
        let key = "arn:aws:kms:us-east-1:123456789012:key/0b0e3f6c-1d2a-4c5e-9f7a-2b3c4d5e6f70"
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "kms.lua",
            """
            local s = sentinel.schema.sessions { name = "\(source)" }
            s.partition_key = "device"
            s.encryption = { type = "CUSTOMER_KEY", kms_key = "\(key)" }
            return s
            """)
        let proxy = try DelayProxy(delay: 0.5)
        let target = source + "-v2"
        let result = try proxy.tool(
            [
                "migrate", "kms.lua", "--table", source, "--to", target, "--yes", "--via",
                "s3://migrations/kms-\(source)", "--verify", "all",
            ], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\(target) holds 30 items (expected 30); 30 read back, all equal"))
        #expect(try Self.items(target, endpoint: endpoint) == Self.items(source, endpoint: endpoint))
        // The key ImportTable was asked for, as DynamoDB reports it (asked through the proxy, which
        // holds what moto's import dropped), and no UpdateTable tried to set it afterwards.
        let encryption = try LocalDynamoDB.boto3(
            """
            sse = ddb.describe_table(TableName='\(target)')['Table']['SSEDescription']
            print(sse['Status'], sse['SSEType'], sse['KMSMasterKeyArn'])
            """, endpoint: proxy.endpoint)
        #expect(encryption == "ENABLED KMS \(key)\n")
        let updates = proxy.requests.filter { $0.operation == "UpdateTable" && $0.table == target }
        #expect(updates.isEmpty, "\(updates)")

        // The built-in sessions schema as it is: the AWS-managed key (KMS, no key named).
        try directory.write(
            "managed.lua",
            "local s = sentinel.schema.sessions { name = \"\(source)\" }\ns.partition_key = \"device\"\nreturn s\n"
        )
        let managed = try proxy.tool(
            [
                "migrate", "managed.lua", "--table", source, "--to", source + "-managed", "--yes", "--via",
                "s3://migrations/managed-\(source)",
            ], in: directory.path)
        #expect(managed.status == 0, "\(managed.stderr)")
        let managedKey = try LocalDynamoDB.boto3(
            "print(ddb.describe_table(TableName='\(source)-managed')['Table']['SSEDescription']['SSEType'])",
            endpoint: proxy.endpoint)
        #expect(managedKey == "KMS\n")

        // A step after the import fails (tagging refused): the new table is named as left, with how to
        // remove it; the source is untouched.
        try directory.write(
            "tagged.lua",
            "local t = sentinel.table { name = \"\(source)\", partition_key = \"device\" }\n"
                + "t.tags.moved = \"yes\"\nreturn t\n")
        let denied = try DelayProxy(delay: 0.3, arguments: ["--deny", "TagResource"])
        let left = source + "-left"
        let failed = try denied.tool(
            [
                "migrate", "tagged.lua", "--table", source, "--to", left, "--yes", "--via",
                "s3://migrations/left-\(source)",
            ],
            in: directory.path)
        #expect(failed.status == 1)
        #expect(
            failed.stderr.contains(
                "\(left), which the import created, is left as it is: remove it with `sentinel-tables delete \(left)` "
                    + "before migrating again"), "\(failed.stderr)")
        #expect(failed.stderr.contains("\(source) was not changed"))
        #expect(try Self.items(left, endpoint: endpoint) == Self.items(source, endpoint: endpoint))
    }

    /// `sentinel.migrate { via = ... }` from a script, plainly and inside a coroutine; a transform with
    /// `via` is refused with the reason.
    @Test func sentinelMigrateTakesViaPlainlyAndInACoroutine() throws {
        let endpoint = try LocalDynamoDB.endpoint()
        let source = ExportImportTests.unique("s3-lua")
        try Self.makeSessions(source, count: 40, bucket: "migrations", endpoint: endpoint)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "move.lua",
            """
            local function move(to)
              local t = sentinel.table { name = to, partition_key = "device" }
              return sentinel.migrate { from = "\(source)", to = t, via = "s3://migrations/lua-\(source)", verify = "all" }
            end
            local plain = move("\(source)-plain")
            local ok, inner = coroutine.resume(coroutine.create(function() return move("\(source)-co") end))
            assert(ok, inner)
            local refused_ok, refused = pcall(sentinel.migrate, {
              from = "\(source)", to = sentinel.table { name = "\(source)-no", partition_key = "device" },
              via = "s3://migrations/lua-\(source)", transform = function(item) return item end,
            })
            print(plain.copied, plain.verified, plain.import_arn ~= nil, inner.copied, inner.verified)
            print(refused_ok, refused)
            """)
        let proxy = try DelayProxy(delay: 0.3)
        let result = try CommandRunner.run(
            ["run", "--endpoint-url", proxy.endpoint, "move.lua"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "40\ttrue\ttrue\t40\ttrue", "\(result.stdout)")
        #expect(lines.last?.hasPrefix("false\t") == true)
        #expect(lines.last?.contains("ImportTable copies items as they are") == true)
        for copy in ["-plain", "-co"] {
            #expect(
                try Self.items(source + copy, endpoint: endpoint) == Self.items(source, endpoint: endpoint))
        }
    }
}

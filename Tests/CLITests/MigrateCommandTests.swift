import Foundation
import Testing

/// `sentinel-tables migrate` against the local server: a table moved to a new partition key through
/// `migrate(item)`, checked item by item with boto3 with the source unchanged; a copy stopped by
/// failed writes (the delay proxy) resumed to the same result; the errors a user can make.
@Suite struct MigrateCommandTests {
    static let newSchema = """
        function migrate(item)
          if item.user == "nobody" then return nil end
          if item.user == "bad" then error("no user for " .. item.id) end
          item.pk = "USER#" .. item.user
          return item
        end
        local sessions = sentinel.table {
          name = "%TABLE%", partition_key = { name = "pk", type = "S" }, sort_key = { name = "id", type = "S" },
        }
        sessions.tags.moved = "yes"
        return sessions
        """

    /// A table keyed by `id` holding `count` sessions of seven users (every 50th of user `nobody`).
    static func makeSessions(_ table: String, count: Int) throws {
        _ = try LocalDynamoDB.boto3(
            """
            ddb.create_table(TableName='\(table)', BillingMode='PAY_PER_REQUEST',
                KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}])
            def session(i):
                return {'id': {'S': 's%04d' % i}, 'user': {'S': 'nobody' if i % 50 == 0 else 'u%d' % (i % 7)},
                        'n': {'N': str(i)}, 'roles': {'SS': ['r', 'r%d' % (i % 3)]}}
            for start in range(0, \(count), 25):
                requests = [{'PutRequest': {'Item': session(i)}} for i in range(start, min(start + 25, \(count)))]
                ddb.batch_write_item(RequestItems={'\(table)': requests})
            """)
    }

    /// Every item of `table` as sorted JSON lines, by boto3.
    static func items(_ table: String) throws -> String {
        try ExportImportTests.botoItems(table)
    }

    /// What migrate(item) should make of every item of `source`, computed by boto3's reading of it.
    static func expected(from source: String) throws -> String {
        try LocalDynamoDB.boto3(
            """
            lines = []
            for page in ddb.get_paginator('scan').paginate(TableName='\(source)', ConsistentRead=True):
                for item in page['Items']:
                    if item['user']['S'] == 'nobody': continue
                    item['pk'] = {'S': 'USER#' + item['user']['S']}
                    lines.append(json.dumps(item, sort_keys=True, default=lambda b: list(bytes(b))))
            print('\\n'.join(sorted(lines)))
            """)
    }

    static func script(_ directory: ScriptDirectory, table: String) throws {
        try directory.write("sessions.lua", newSchema.replacingOccurrences(of: "%TABLE%", with: table))
    }

    @Test func aTableMovesToANewPartitionKeyThroughMigrateAndTheSourceIsUnchanged() throws {
        let source = ExportImportTests.unique("mig-src")
        let target = source + "-v2"
        try Self.makeSessions(source, count: 300)
        let before = try Self.items(source)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try Self.script(directory, table: source)

        let migrated = try LocalDynamoDB.tool(
            ["migrate", "sessions.lua", "--table", source, "--to", target, "--yes", "--verify", "all"],
            in: directory.path)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(
            migrated.stdout.contains("copied 294 of 300 items from \(source) (6 left out by migrate(item))"))
        #expect(
            migrated.stdout.contains("\(target) holds 294 items (expected 294); 294 read back, all equal"))
        #expect(migrated.stdout.contains("point Sentinel's configuration at \(target) instead of \(source)"))
        #expect(try Self.items(target) == Self.expected(from: source))
        #expect(try Self.items(source) == before)
        // Created as apply creates it: the schema's keys and tags.
        let described = try LocalDynamoDB.boto3(
            """
            table = ddb.describe_table(TableName='\(target)')['Table']
            tags = ddb.list_tags_of_resource(ResourceArn=table['TableArn'])['Tags']
            print([k['AttributeName'] for k in table['KeySchema']], [t for t in tags if t['Key'] == 'moved'])
            """)
        #expect(described == "['pk', 'id'] [{'Key': 'moved', 'Value': 'yes'}]\n")

        // A second run refuses: the new table exists.
        let again = try LocalDynamoDB.tool(
            ["migrate", "sessions.lua", "--table", source, "--to", target, "--yes"], in: directory.path)
        #expect(again.status == 1)
        #expect(again.stderr.contains("table \(target) exists already"))
    }

    @Test func aCopyStoppedByFailedWritesResumesToTheSameResult() throws {
        let source = ExportImportTests.unique("mig-resume")
        let target = source + "-v2"
        try Self.makeSessions(source, count: 200)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try Self.script(directory, table: source)
        // One segment, pages of 50 (two batches each): four batches go through, then every attempt
        // at the fifth fails, after two whole pages.
        let proxy = try DelayProxy(delay: 0, arguments: ["--fail", "BatchWriteItem:10@4"])
        let arguments = [
            "migrate", "sessions.lua", "--table", source, "--to", target, "--yes", "--segments", "1",
            "--page-size",
            "50",
        ]
        let stopped = try CommandRunner.run(
            arguments + ["--endpoint-url", proxy.endpoint], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(stopped.status == 1)
        // Two whole pages were saved: 100 items read, less those migrate(item) left out.
        #expect(stopped.stderr.contains("copy stopped after 9"), "\(stopped.stderr)")
        #expect(stopped.stderr.contains("Run it again with --resume"))
        #expect(stopped.stderr.contains("\(source) was not changed"))

        let resumed = try LocalDynamoDB.tool(arguments + ["--resume"], in: directory.path)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(
            resumed.stdout.contains(
                "copied 196 of 200 items from \(source) (4 left out by migrate(item)), resuming 1 segments"))
        #expect(resumed.stdout.contains("all equal"))
        #expect(try Self.items(target) == Self.expected(from: source))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
                $0.hasSuffix(".migrate-checkpoint")
            }.isEmpty)
    }

    /// Ctrl-C while the new table is being created (it stays CREATING behind the proxy): the table
    /// exists by then, so a new run would be refused; the starting positions saved before the creation
    /// let --resume finish the migration.
    @Test func aMigrationInterruptedWhileItsTableIsCreatedIsResumed() throws {
        let source = ExportImportTests.unique("mig-create")
        let target = source + "-v2"
        try Self.makeSessions(source, count: 60)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try Self.script(directory, table: source)
        let proxy = try DelayProxy(delay: 120)
        let arguments = ["migrate", "sessions.lua", "--table", source, "--to", target, "--yes"]
        let stopped = try CommandRunner.run(
            arguments + ["--endpoint-url", proxy.endpoint], in: directory.path, interruptAfter: .seconds(8),
            environment: LocalDynamoDB.clientEnvironment)
        #expect(stopped.status == 130, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("copy stopped before any item was copied"), "\(stopped.stderr)")
        #expect(stopped.stderr.contains("Run it again with --resume"))
        #expect(proxy.requests.contains { $0.operation == "CreateTable" && $0.table == target })

        let resumed = try LocalDynamoDB.tool(arguments + ["--resume"], in: directory.path)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("copied 58 of 60 items from \(source) (2 left out by migrate(item))"))
        #expect(try Self.items(target) == Self.expected(from: source))
    }

    @Test func anErrorInMigrateNamesTheItemsKey() throws {
        let source = ExportImportTests.unique("mig-bad")
        try Self.makeSessions(source, count: 10)
        _ = try LocalDynamoDB.boto3(
            "ddb.put_item(TableName='\(source)', Item={'id': {'S': 'broken'}, 'user': {'S': 'bad'}})")
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try Self.script(directory, table: source)
        let failed = try LocalDynamoDB.tool(
            ["migrate", "sessions.lua", "--table", source, "--to", source + "-v2", "--yes"],
            in: directory.path)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains(#"the item with key {"id":{"S":"broken"}}: migrate(item): "#))
        #expect(failed.stderr.contains("no user for broken"))
    }

    @Test func aScriptWithoutTheTablesSchemaOrAViaIsRefused() throws {
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try Self.script(directory, table: "some-other-table")
        let missing = try LocalDynamoDB.tool(
            ["migrate", "sessions.lua", "--table", "mig-absent", "--to", "mig-absent-v2", "--yes"],
            in: directory.path)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("sessions.lua returns no schema for table mig-absent"))
        let via = try LocalDynamoDB.tool(
            ["migrate", "sessions.lua", "--table", "a", "--to", "b", "--via", "bucket/prefix"],
            in: directory.path)
        #expect(via.status == 2)
        #expect(via.stderr.contains("--via 'bucket/prefix': must start with s3://"), "\(via.stderr)")
    }
}

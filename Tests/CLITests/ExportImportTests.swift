import Foundation
import Testing

/// `sentinel-tables export` and `import`, and `db.export`/`db.import`, against the local server:
/// round trips of every attribute type checked with boto3, DynamoDB's own export folders, bad input
/// refused before any write, and an import stopped part-way that resumes.
@Suite struct ExportImportTests {
    /// Creates `table` (partition key `id`, a string) with boto3 and writes `count` items of every
    /// attribute type into it.
    static func makeTable(_ table: String, items count: Int, endpoint: String? = nil) throws {
        _ = try LocalDynamoDB.boto3(
            """
            from decimal import Decimal
            ddb.create_table(TableName='\(table)', BillingMode='PAY_PER_REQUEST',
                KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}])
            for start in range(0, \(count), 25):
                requests = []
                for i in range(start, min(start + 25, \(count))):
                    requests.append({'PutRequest': {'Item': {
                        'id': {'S': 'item-%05d' % i},
                        'n': {'N': '-1234567890123456789012345678901234.5%d' % (i % 10)},
                        'small': {'N': str(i)},
                        'b': {'B': bytes([i % 256, 0, 255])},
                        't': {'BOOL': i % 2 == 0}, 'nul': {'NULL': True},
                        'm': {'M': {'k': {'L': [{'N': '1'}, {'S': 'two'}, {'NULL': True}, {'M': {}}]}}},
                        # Sets without a duplicate element, which DynamoDB refuses (moto does not).
                        'ss': {'SS': ['a', 'b%d' % i]}, 'ns': {'NS': ['1', '2.5', str(i + 3)]},
                        'bs': {'BS': [b'x', bytes([i % 256, 1])]}, 'text': {'S': 'caf\\u00e9 %d \\u2713' % i},
                    }}})
                ddb.batch_write_item(RequestItems={'\(table)': requests})
            """, endpoint: endpoint)
    }

    static func createEmptyTable(_ table: String, endpoint: String? = nil) throws {
        _ = try LocalDynamoDB.boto3(
            """
            ddb.create_table(TableName='\(table)', BillingMode='PAY_PER_REQUEST',
                KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}])
            """, endpoint: endpoint)
    }

    /// Every item of `table`, read by boto3, as sorted canonical JSON lines.
    static func botoItems(_ table: String, endpoint: String? = nil) throws -> String {
        try LocalDynamoDB.boto3(
            """
            lines = []
            for page in ddb.get_paginator('scan').paginate(TableName='\(table)', ConsistentRead=True):
                for item in page['Items']:
                    lines.append(json.dumps(item, sort_keys=True, default=lambda b: list(bytes(b))))
            print('\\n'.join(sorted(lines)))
            """, endpoint: endpoint)
    }

    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    static func sortedLines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init).sorted()
    }

    /// On a server of its own: moto answers every PartiQL statement by reading every table it holds, so
    /// 20,000 items on the shared server would slow every other test's statements for as long as they
    /// are there.
    @Test func tenThousandItemsOfEveryTypeRoundTripExactly() throws {
        let server = try PrivateDynamoDB()
        defer { server.stop() }
        let source = Self.unique("exp-src")
        let copy = Self.unique("exp-copy")
        try Self.makeTable(source, items: 10_000, endpoint: server.endpoint)
        try Self.createEmptyTable(copy, endpoint: server.endpoint)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let exported = try server.tool(
            ["export", source, "--output", "items.json", "--segments", "4"], in: directory.path)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stderr.contains("\(source): exported 10000 items to items.json"))
        let imported = try server.tool(["import", copy, "items.json"], in: directory.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("\(copy): imported 10000 items from 1 file(s)"))
        // Segments here too: moto answers a scan without a Limit in one page, which for 10,000 items takes
        // long enough on a loaded machine to meet the request timeout.
        let again = try server.tool(
            ["export", copy, "-o", "again.json.gz", "--segments", "4"], in: directory.path)
        #expect(again.status == 0, "\(again.stderr)")
        // The same lines, byte for byte (a compressed file reads as the plain one).
        let unpacked = Process()
        unpacked.executableURL = URL(fileURLWithPath: "/bin/sh")
        unpacked.arguments = [
            "-c", "gunzip -c '\(directory.path)/again.json.gz' > '\(directory.path)/again.json'",
        ]
        try unpacked.run()
        unpacked.waitUntilExit()
        let first = try Self.sortedLines(directory.path + "/items.json")
        #expect(first.count == 10_000)
        #expect(first == (try Self.sortedLines(directory.path + "/again.json")))
        // boto3, reading both tables itself, finds the items of the file in each.
        let checked = try LocalDynamoDB.boto3(
            """
            import base64
            def normal(item):
                out = {}
                for name, value in item.items():
                    kind, inner = list(value.items())[0]
                    text = lambda b: b if isinstance(b, str) else base64.b64encode(bytes(b)).decode()
                    if kind == 'B': inner = text(inner)
                    if kind == 'BS': inner = sorted(text(b) for b in inner)
                    if kind in ('SS', 'NS'): inner = sorted(inner)
                    out[name] = {kind: inner}
                return json.dumps(out, sort_keys=True)
            def table(name):
                items = []
                for page in ddb.get_paginator('scan').paginate(TableName=name, ConsistentRead=True):
                    items += [normal(i) for i in page['Items']]
                return sorted(items)
            with open('\(directory.path)/items.json') as f:
                docs = [json.loads(line) for line in f]
            assert all(list(d.keys()) == ['Item'] for d in docs), 'a line is not {"Item": ...}'
            from_file = sorted(normal(d['Item']) for d in docs)
            source, copy = table('\(source)'), table('\(copy)')
            print(len(from_file), from_file == source, source == copy)
            """, endpoint: server.endpoint)
        #expect(checked == "10000 True True\n")
    }

    @Test func aTerminalShowsProgressAndTheSummaryEndsItsLine() throws {
        let table = Self.unique("exp-tty")
        try Self.makeTable(table, items: 30)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let driver = #"""
            import json, sys, pexpect
            spec = json.loads(sys.argv[1])
            child = pexpect.spawn(spec["binary"], spec["arguments"], cwd=spec["directory"], encoding="utf-8", timeout=60)
            child.expect(pexpect.EOF)
            child.close()
            print(json.dumps({"status": child.exitstatus, "output": child.before}))
            """#
        let spec: [String: Any] = [
            "binary": CommandRunner.executable.path, "directory": directory.path,
            "arguments": ["export", table, "-o", "out.json", "--endpoint-url", try LocalDynamoDB.endpoint()],
        ]
        let answer = try CommandRunner.runInTerminal(driver, spec: spec)
        let output = answer["output"] as? String ?? ""
        #expect(answer["status"] as? Int == 0, "\(output)")
        // The progress line is redrawn in place (carriage return, erase line) and ended before the summary.
        // Its shape only: the count and estimate are fixed, the rate (shown once half a second has passed,
        // so present or not depending on the machine's speed) is any number.
        let rate = " \\([0-9,]+ items/s\\)"
        let last =
            "\r\u{1B}\\[K\(table): exported 30 of ~30 items(\(rate))?\r\n\(table): exported 30 items to out.json"
        #expect(output.contains(try Regex(last)), "\(output)")
    }

    @Test func plainJSONCarriesExactNumbersForOtherTools() throws {
        let table = Self.unique("exp-plain")
        try Self.makeTable(table, items: 30)
        let result = try LocalDynamoDB.tool(["export", table, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 30)
        #expect(lines.allSatisfy { $0.contains(#""n":-1234567890123456789012345678901234.5"#) })
        #expect(
            lines.allSatisfy { $0.contains(#""nul":null"#) && $0.contains(#""m":{"k":[1,"two",null,{}]}"#) })
    }

    @Test func anExportFolderOfDynamoDBsOwnIsImported() throws {
        let table = Self.unique("exp-aws")
        try Self.createEmptyTable(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        // The layout and line format of ExportTableToPointInTime's DYNAMODB_JSON output, gzip files in
        // data/, written here by Python's own json and gzip modules.
        _ = try LocalDynamoDB.boto3(
            """
            import gzip, os
            root = '\(directory.path)/AWSDynamoDB/01700000000000-abcdef12'
            os.makedirs(root + '/data')
            for name in ('manifest-summary.json', 'manifest-files.json'):
                open(root + '/' + name, 'w').write('{}')
            for part in range(3):
                with gzip.open(root + '/data/part%d.json.gz' % part, 'wt') as f:
                    for i in range(part * 10, part * 10 + 10):
                        f.write(json.dumps({'Item': {'id': {'S': 'aws-%d' % i}, 'n': {'N': str(i)},
                            'tags': {'SS': ['x', 'y']}, 'blob': {'B': 'AAEC'}}}) + '\\n')
            """)
        let result = try LocalDynamoDB.tool(
            ["import", table, "AWSDynamoDB/01700000000000-abcdef12"], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("imported 30 items from 3 file(s)"))
        let seen = try LocalDynamoDB.boto3(
            """
            items = ddb.scan(TableName='\(table)', ConsistentRead=True)['Items']
            print(len(items), sum(int(i['n']['N']) for i in items), sorted(items[0]['tags']['SS']), bytes(items[0]['blob']['B']).hex())
            """)
        #expect(seen == "30 435 ['x', 'y'] 000102\n")
    }

    @Test func aBadLineIsNamedAndNothingIsWritten() throws {
        let table = Self.unique("exp-bad")
        try Self.createEmptyTable(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "items.json",
            """
            {"Item":{"id":{"S":"a"}}}
            {"Item":{"id":{"S":"b"}}}

            {"Item":{"id":{"N":"3"}}}
            """)
        try directory.write("more.json", #"{"Item":{"id":{"S":"c"},"n":{"N":"1x"}}}"# + "\n")
        let wrongType = try LocalDynamoDB.tool(["import", table, "items.json"], in: directory.path)
        #expect(wrongType.status == 1)
        #expect(
            wrongType.stderr.contains(
                "items.json:4: key attribute 'id' must be of type S, not N; nothing was written"))
        let badNumber = try LocalDynamoDB.tool(["import", table, "more.json"], in: directory.path)
        #expect(badNumber.stderr.contains("more.json:1: Item.n:"))
        let missing = try LocalDynamoDB.tool(["import", table, "nope.json"], in: directory.path)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read nope.json"))
        let count = try LocalDynamoDB.boto3("print(ddb.scan(TableName='\(table)', Select='COUNT')['Count'])")
        #expect(count == "0\n")
    }

    @Test func anImportStoppedPartWayResumesWhereItStopped() throws {
        let table = Self.unique("exp-resume")
        try Self.createEmptyTable(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "items.json",
            (0..<300).map { #"{"Item":{"id":{"S":"r\#($0)"},"n":{"N":"\#($0)"}}}"# }.joined(separator: "\n")
                + "\n")
        // Four batches of 25 go through, then every attempt at the fifth fails.
        let proxy = try DelayProxy(delay: 0, arguments: ["--fail", "BatchWriteItem:10@4"])
        let stopped = try CommandRunner.run(
            ["import", "--endpoint-url", proxy.endpoint, table, "items.json"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(stopped.status == 1)
        #expect(stopped.stderr.contains("import stopped after 100 of 300 items; the rest were not written"))
        #expect(stopped.stderr.contains("--resume to go on from item 101"))
        #expect(
            FileManager.default.fileExists(atPath: directory.path + "/items.json.\(table).import-checkpoint"))
        // Resuming without the proxy writes the other 200, not the first 100 again.
        let resumed = try LocalDynamoDB.tool(["import", table, "items.json", "--resume"], in: directory.path)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(
            resumed.stderr.contains(
                "imported 200 items from 1 file(s) (100 written before, by the run resumed)"))
        #expect(
            !FileManager.default.fileExists(atPath: directory.path + "/items.json.\(table).import-checkpoint")
        )
        let seen = try LocalDynamoDB.boto3(
            """
            items = ddb.scan(TableName='\(table)', ConsistentRead=True)['Items']
            print(len(items), sum(int(i['n']['N']) for i in items))
            """)
        #expect(seen == "300 44850\n")
        // Nothing left to resume.
        let again = try LocalDynamoDB.tool(["import", table, "items.json", "--resume"], in: directory.path)
        #expect(again.status == 1)
        #expect(again.stderr.contains("nothing to resume"))
    }

    @Test func aFileChangedSinceTheStopIsNotResumed() throws {
        let table = Self.unique("exp-changed")
        try Self.createEmptyTable(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try directory.write(
            "items.json", (0..<60).map { #"{"Item":{"id":{"S":"c\#($0)"}}}"# }.joined(separator: "\n") + "\n")
        let proxy = try DelayProxy(delay: 0, arguments: ["--fail", "BatchWriteItem:10@1"])
        let stopped = try CommandRunner.run(
            ["import", "--endpoint-url", proxy.endpoint, table, "items.json"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(stopped.stderr.contains("import stopped after 25 of 60 items"))
        try directory.write(
            "items.json", (0..<61).map { #"{"Item":{"id":{"S":"c\#($0)"}}}"# }.joined(separator: "\n") + "\n")
        let refused = try LocalDynamoDB.tool(["import", table, "items.json", "--resume"], in: directory.path)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("items.json (its content differs from when the import was saved)"),
            "\(refused.stderr)")
        // Without --resume it starts again, and says what it ignored.
        let fresh = try LocalDynamoDB.tool(["import", table, "items.json"], in: directory.path)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.stderr.contains("an earlier import had written 25"))
        #expect(fresh.stderr.contains("imported 61 items"))
    }

    /// Issue 29: the README's export and import lines work as written: `import --create-from copy.lua`
    /// creates the missing table as apply would (boto3 sees its keys and indexes) and imports every
    /// item; without the option, an import into a table that does not exist says so and names
    /// `--create-from SCRIPT` (it was DynamoDB's raw error).
    @Test func theReadmesImportExampleWorksAsWritten() throws {
        let source = Self.unique("readme-src")
        let copy = Self.unique("readme-copy")
        try Self.makeTable(source, items: 20)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let exported = try LocalDynamoDB.tool(
            ["export", source, "-o", "sessions.json.gz"], in: directory.path)
        #expect(exported.status == 0, "\(exported.stderr)")
        let missing = try LocalDynamoDB.tool(["import", copy, "sessions.json.gz"], in: directory.path)
        #expect(missing.status == 1)
        #expect(
            missing.stderr.contains("table '\(copy)' does not exist; import writes into an existing table"),
            "\(missing.stderr)")
        #expect(missing.stderr.contains("--create-from SCRIPT"), "\(missing.stderr)")
        #expect(!missing.stderr.contains("ResourceNotFoundException"), "\(missing.stderr)")
        try directory.write("copy.lua", "return sentinel.schema.sessions { name = \"\(copy)\" }\n")
        let imported = try LocalDynamoDB.tool(
            ["import", copy, "sessions.json.gz", "--create-from", "copy.lua"], in: directory.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("\(copy): will be created"), "\(imported.stderr)")
        #expect(imported.stderr.contains("\(copy): imported 20 items"), "\(imported.stderr)")
        let described = try LocalDynamoDB.boto3(
            """
            table = ddb.describe_table(TableName='\(copy)')['Table']
            print(table['TableStatus'], [(k['AttributeName'], k['KeyType']) for k in table['KeySchema']],
                  sorted(i['IndexName'] for i in table.get('GlobalSecondaryIndexes', [])))
            """)
        #expect(
            described
                == "ACTIVE [('id', 'HASH')] ['gsi-profile', 'gsi-server-instance', 'gsi-status', 'gsi-user']\n",
            "\(described)")
        #expect(try Self.botoItems(copy) == (try Self.botoItems(source)))

        // Again, into the table that now exists: its keys are the schema's, so import goes on as it is.
        let again = try LocalDynamoDB.tool(
            ["import", copy, "sessions.json.gz", "--create-from", "copy.lua"], in: directory.path)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(
            again.stderr.contains(
                "\(copy): exists, with the keys of copy.lua's schema; importing into it as it is"),
            "\(again.stderr)")
    }

    /// `--create-from` with a script that returns no schema for the table names what it returns and
    /// creates and writes nothing; a script whose schema has other keys than an existing table's is
    /// refused with both; an argument reaches the script as `arg[1]`.
    @Test func createFromRefusesAScriptThatIsNotTheTables() throws {
        let source = Self.unique("cf-src")
        let table = Self.unique("cf-new")
        try Self.makeTable(source, items: 5)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let exported = try LocalDynamoDB.tool(["export", source, "-o", "items.json"], in: directory.path)
        #expect(exported.status == 0, "\(exported.stderr)")
        try directory.write(
            "other.lua",
            "return { sentinel.table { name = 'other-a', partition_key = 'id' }, "
                + "sentinel.table { name = 'other-b', partition_key = 'id' } }\n")
        let refused = try LocalDynamoDB.tool(
            ["import", table, "items.json", "--create-from", "other.lua"], in: directory.path)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "--create-from other.lua returns no schema for table '\(table)' (it returns 'other-a', 'other-b'); "
                    + "nothing was created or written"), "\(refused.stderr)")
        let tables = try LocalDynamoDB.boto3("print(ddb.list_tables()['TableNames'])")
        for name in [table, "other-a", "other-b"] {
            #expect(!tables.contains("'\(name)'"), "\(tables)")
        }

        try directory.write(
            "keyed.lua",
            "return sentinel.table { name = arg[1], partition_key = 'device', sort_key = 'id' }\n")
        let mismatch = try LocalDynamoDB.tool(
            ["import", source, "items.json", "--create-from", "keyed.lua", "--script-arg", source],
            in: directory.path)
        #expect(mismatch.status == 1)
        #expect(
            mismatch.stderr.contains(
                "table '\(source)' exists with keys partition key id (S) and no sort key, but keyed.lua's schema "
                    + "for it has partition key device (S), sort key id (S); nothing was written"),
            "\(mismatch.stderr)")
    }

    /// Issue 28: a file rewritten with the same size and modification time (a copy that keeps times)
    /// used to resume at the old line number and report success with items missing.
    @Test func aFileRewrittenWithTheSameSizeAndTimeIsNotResumed() throws {
        let table = Self.unique("exp-same")
        try Self.createEmptyTable(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let path = directory.path + "/items.json"
        func lines(_ prefix: String) -> String {
            (0..<60).map { #"{"Item":{"id":{"S":"\#(prefix)\#($0)"}}}"# }.joined(separator: "\n") + "\n"
        }
        try directory.write("items.json", lines("a"))
        let proxy = try DelayProxy(delay: 0, arguments: ["--fail", "BatchWriteItem:10@1"])
        let stopped = try CommandRunner.run(
            ["import", "--endpoint-url", proxy.endpoint, table, "items.json"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(stopped.stderr.contains("import stopped after 25 of 60 items"), "\(stopped.stderr)")
        let times = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        try directory.write("items.json", lines("b"))  // same length: one letter for another
        try FileManager.default.setAttributes([.modificationDate: try #require(times)], ofItemAtPath: path)
        let refused = try LocalDynamoDB.tool(["import", table, "items.json", "--resume"], in: directory.path)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("items.json (its content differs from when the import was saved)"),
            "\(refused.stderr)")
        let count = try LocalDynamoDB.boto3("print(ddb.scan(TableName='\(table)')['Count'])")
        #expect(count == "25\n", "the refused resume wrote items")
    }

    @Test func scriptsExportAndImportOnlyInsideTheirDirectory() throws {
        let source = Self.unique("exp-lua")
        let copy = Self.unique("exp-lua-copy")
        try Self.makeTable(source, items: 40)
        try Self.createEmptyTable(copy)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(
            atPath: directory.path + "/out", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: directory.path + "/escape", withDestinationPath: "/tmp")
        try directory.write(
            "copy.lua",
            """
            local source, copy = ...
            local db = sentinel.db
            local n = db.export(source, "out/items.json", { segments = 2 })
            local written, skipped = db.import(copy, "out/items.json")
            local function refused(f, ...) local ok, e = pcall(f, ...) assert(not ok) return e end
            print(n, written, skipped)
            print(refused(db.export, source, "out/items.json"))
            print(refused(db.export, source, "/tmp/x.json"))
            print(refused(db.export, source, "../x.json"))
            print(refused(db.export, source, ".aws/credentials"))
            print(refused(db.export, source, "escape/x.json"))
            print(refused(db.import, copy, "/etc/passwd"))
            print(refused(db.export, source, "x.json", { format = "csv" }))
            print(refused(db.export, source, "-"))
            print(coroutine.wrap(function() return db.export(source, "out/co.json", { format = "json" }) end)())
            """)
        let result = try CommandRunner.run(
            ["run", "--endpoint-url", try LocalDynamoDB.endpoint(), "copy.lua", source, copy],
            in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 11, "\(result.stdout)\(result.stderr)")
        #expect(lines[0] == "40\t40\t0")
        #expect(lines[1].contains("out/items.json already exists; it was left as it is"))
        #expect(lines[2].contains("is an absolute path"))
        #expect(lines[3].contains("leaves the directory through '..'"))
        #expect(lines[4].contains("names a hidden file or folder"))
        #expect(
            lines[5].contains(
                "'escape/x.json' leads outside the working directory or through a symbolic link"))
        #expect(lines[6].contains("'/etc/passwd' is an absolute path"))
        #expect(lines[7] == "nothing was written")
        #expect(lines[8].contains("option 'format' must be 'dynamodb-json' or 'json'"))
        #expect(lines[9].contains("names standard output"))
        #expect(lines[10] == "40")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/x.json"))
        #expect(try Self.botoItems(source) == (try Self.botoItems(copy)))
    }
}

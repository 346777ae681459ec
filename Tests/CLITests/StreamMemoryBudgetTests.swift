import Foundation
import Testing

/// Issue 27's last memory route: `db.import`, `db.export` and `sentinel.migrate` hold lines, pages and
/// batches in the DynamoDB layer, on other threads while the script waits. They now hold them from the
/// script's own limit (`--memory-limit`): what does not fit is the script's memory error, named by what
/// needed it, and nothing is half done; the same calls with small inputs pass under the same limit.
@Suite struct StreamMemoryBudgetTests {
    /// A line of about 3 MB (under the reader's 4 MB line limit) and 30 ordinary lines.
    private static func writeItemFiles(in directory: ScriptDirectory) throws {
        let big =
            "{\"Item\":{\"id\":{\"S\":\"big\"},\"v\":{\"S\":\"\(String(repeating: "x", count: 3 << 20))\"}}}\n"
        try directory.write("big.json", big)
        let small = (0..<30).map { "{\"Item\":{\"id\":{\"S\":\"k\($0)\"},\"v\":{\"S\":\"\($0)\"}}}\n" }
            .joined()
        try directory.write("small.json", small)
    }

    private static func run(
        _ script: String, _ arguments: [String], limit: String, in directory: ScriptDirectory
    )
        throws -> CommandResult
    {
        try directory.write("job.lua", script)
        return try CommandRunner.run(
            ["run", "--memory-limit", limit, "--endpoint-url", try LocalDynamoDB.endpoint(), "job.lua"]
                + arguments,
            in: directory.path, environment: LocalDynamoDB.clientEnvironment)
    }

    /// The error is at the script's line (after the line saying who is acting, when a request was sent).
    static func isLocated(_ stderr: String) -> Bool {
        stderr.split(separator: "\n").contains { $0.hasPrefix("job.lua:") }
    }

    /// The Lua expression `call`, or the same call made from inside a coroutine.
    static func called(_ call: String, inCoroutine: Bool) -> String {
        inCoroutine ? "coroutine.wrap(function() return \(call) end)()" : call
    }

    /// How many items boto3 reads from `table`.
    static func itemCount(_ table: String) throws -> Int {
        try ExportImportTests.botoItems(table).split(separator: "\n").count
    }

    static let directCall = "local t, f = ...\nprint(sentinel.db.import(t, f))\n"
    static let coroutineCall =
        "local t, f = ...\nprint(coroutine.wrap(function() return sentinel.db.import(t, f) end)())\n"

    @Test(arguments: [directCall, coroutineCall])
    func anImportLineTheLimitCannotHoldIsAMemoryErrorAndNothingIsWritten(script: String) throws {
        let table = ExportImportTests.unique("mem-import")
        try ExportImportTests.createEmptyTable(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        try Self.writeItemFiles(in: directory)

        let refused = try Self.run(script, [table, "big.json"], limit: "4", in: directory)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(!refused.killedBySignal)
        #expect(Self.isLocated(refused.stderr), "\(refused.stderr)")
        #expect(
            refused.stderr.contains("memory limit of 4 MB exceeded (reading big.json needs"),
            "\(refused.stderr)")
        #expect(refused.stderr.contains("nothing was written"))
        #expect(try Self.itemCount(table) == 0)

        // The same call, the same limit, a file of ordinary lines: all written.
        let passed = try Self.run(script, [table, "small.json"], limit: "4", in: directory)
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stdout == "30\t0\n")
        #expect(try Self.itemCount(table) == 30)
    }

    /// Items of 350 KB: DynamoDB's (and moto's) 1 MB scan pages then hold two or three of them each.
    private static func makeTableOfLargeItems(_ table: String) throws {
        try ExportImportTests.createEmptyTable(table)
        _ = try LocalDynamoDB.boto3(
            """
            for i in range(8):
                ddb.put_item(TableName='\(table)', Item={'id': {'S': 'big%d' % i}, 'v': {'S': 'y' * 350000}})
            """)
    }

    @Test(arguments: [false, true])
    func anExportPageTheLimitCannotHoldIsAMemoryErrorAndNoFileIsMade(inCoroutine: Bool) throws {
        let table = ExportImportTests.unique("mem-export")
        try Self.makeTableOfLargeItems(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let call = "sentinel.db.export(t, f, { segments = 2 })"
        let script =
            "local t, f = ...\nprint("
            + Self.called(call, inCoroutine: inCoroutine) + ")\n"

        let refused = try Self.run(script, [table, "out.json"], limit: "2", in: directory)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(Self.isLocated(refused.stderr), "\(refused.stderr)")
        #expect(refused.stderr.contains("memory limit of 2 MB exceeded ("), "\(refused.stderr)")
        #expect(refused.stderr.contains("a page of \(table)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/out.json"))

        let passed = try Self.run(script, [table, "out.json"], limit: "16", in: directory)
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stdout == "8\n")
        #expect(try ExportImportTests.sortedLines(directory.path + "/out.json").count == 8)
    }

    @Test(arguments: [false, true])
    func aMigrationPageTheLimitCannotHoldIsAMemoryErrorThatCanBeResumed(inCoroutine: Bool) throws {
        let source = ExportImportTests.unique("mem-migrate")
        try Self.makeTableOfLargeItems(source)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let call = "sentinel.migrate { from = from, to = to, segments = 1 }.copied"
        let script = """
            local from, name = ...
            local to = sentinel.table { name = name, partition_key = { name = "id", type = "S" } }
            print(\(Self.called(call, inCoroutine: inCoroutine)))
            """
        let refused = try Self.run(script, [source, source + "-v2"], limit: "2", in: directory)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(Self.isLocated(refused.stderr), "\(refused.stderr)")
        #expect(
            refused.stderr.contains("sentinel.migrate: memory limit of 2 MB exceeded ("), "\(refused.stderr)")
        #expect(refused.stderr.contains("a page"), "\(refused.stderr)")
        #expect(refused.stderr.contains("resume = true"), "\(refused.stderr)")

        // With room for a page, the interrupted migration resumes and copies every item.
        let resumed = try Self.run(
            script.replacingOccurrences(of: "segments = 1 }", with: "segments = 1, resume = true }"),
            [source, source + "-v2"], limit: "32", in: directory)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout == "8\n")
        #expect(try Self.itemCount(source + "-v2") == 8)
    }

    /// `db.transact`'s items were converted within the limit but their request body was not held: 40
    /// puts of a shared 300 KB string take little of Lua and 24 MB of the host.
    @Test(arguments: [false, true])
    func aTransactionsRequestBodyCountsAgainstTheLimit(inCoroutine: Bool) throws {
        let table = ExportImportTests.unique("mem-transact")
        try ExportImportTests.createEmptyTable(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let call = "sentinel.db.transact(actions)"
        let script = """
            local t, count = ...
            local s = string.rep("z", 300000)
            local actions = {}
            for i = 1, tonumber(count) do actions[i] = { put = t, item = { id = "t" .. i, v = s } } end
            print(\(Self.called(call, inCoroutine: inCoroutine)))
            """
        let refused = try Self.run(script, [table, "40"], limit: "16", in: directory)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(Self.isLocated(refused.stderr), "\(refused.stderr)")
        #expect(refused.stderr.contains("memory limit of 16 MB exceeded ('actions["), "\(refused.stderr)")
        #expect(try Self.itemCount(table) == 0)

        let passed = try Self.run(script, [table, "3"], limit: "16", in: directory)
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stdout == "true\n")
        #expect(try Self.itemCount(table) == 3)
    }
}

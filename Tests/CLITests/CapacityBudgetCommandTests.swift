import Foundation
import Testing

/// `--max-rcu`, `--max-wcu` and `--max-capacity-percent` on export, import and migrate, against the
/// local server: the values checked by the number rule, a share of a table's capacity, the work done
/// within a budget, and the progress line showing a request waiting for it. Nothing here measures
/// time: scripts/bench measures how close the rate keeps to the budget.
@Suite struct CapacityBudgetCommandTests {
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    @Test(arguments: [
        (
            ["export", "t", "--max-rcu", "nan"],
            "--max-rcu must be a whole number from 1 to 10000000, got nan"
        ),
        (["export", "t", "--max-rcu", "-5"], "--max-rcu must be a whole number from 1 to 10000000, got -5"),
        (["repl", "--max-rcu", "0"], "--max-rcu must be a whole number from 1 to 10000000, got 0"),
        (
            ["import", "t", "f.json", "--max-wcu", "1e300"],
            "--max-wcu must be a whole number from 1 to 10000000"
        ),
        (
            ["import", "t", "f.json", "--max-wcu", "0"],
            "--max-wcu must be a whole number from 1 to 10000000, got 0"
        ),
        (
            ["export", "t", "--max-capacity-percent", "101"],
            "--max-capacity-percent must be a whole number from 1 to 100"
        ),
        (
            ["export", "t", "--max-capacity-percent", "2.5"],
            "--max-capacity-percent must be a whole number from 1 to 100, got 2.5"
        ),
        (
            ["migrate", "s.lua", "--table", "a", "--to", "b", "--via", "s3://bucket/p", "--max-wcu", "5"],
            "are for the copy through this machine"
        ),
        (["export", "t", "--max-wcu", "5"], "--max-wcu limits nothing for export: it writes nothing"),
        (
            ["import", "t", "f.json", "--max-rcu", "5"],
            "--max-rcu limits nothing for import: it reads nothing"
        ),
    ])
    func badBudgetsAreUsageErrors(arguments: [String], message: String) throws {
        let result = try LocalDynamoDB.tool(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func aShareOfAnOnDemandTableWithoutAMaximumIsRefused() throws {
        let table = Self.uniqueName("ct-budget-od")
        try ExportImportTests.createEmptyTable(table)
        let result = try LocalDynamoDB.tool(["export", table, "--max-capacity-percent", "50", "-o", "-"])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("table '\(table)' is on-demand with no maximum read throughput"),
            "\(result.stderr)")
    }

    @Test func exportAndImportWithinABudgetMoveEveryItem() throws {
        let source = Self.uniqueName("ct-budget-src")
        let target = Self.uniqueName("ct-budget-dst")
        // A provisioned source, so that a percentage of it is a budget.
        _ = try LocalDynamoDB.boto3(
            """
            ddb.create_table(TableName='\(source)', BillingMode='PROVISIONED',
                ProvisionedThroughput={'ReadCapacityUnits': 40, 'WriteCapacityUnits': 40},
                KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}])
            for i in range(60):
                ddb.put_item(TableName='\(source)', Item={'id': {'S': 'i%03d' % i}})
            """)
        try ExportImportTests.createEmptyTable(target)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let export = try LocalDynamoDB.tool(
            ["export", source, "-o", "items.json", "--segments", "3", "--max-capacity-percent", "50"],
            in: directory.path)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("exported 60 items"))
        // 50% of 40 RCU; what DynamoDB reported consumed, summed.
        #expect(export.stderr.contains("RCU consumed"), "\(export.stderr)")
        #expect(export.stderr.contains("(budget 20 RCU/s)"), "\(export.stderr)")
        let imported = try LocalDynamoDB.tool(
            ["import", target, "items.json", "--max-wcu", "1000"], in: directory.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("imported 60 items"))
        #expect(imported.stderr.contains("WCU consumed"))
        #expect(imported.stderr.contains("(budget 1,000 WCU/s)"), "\(imported.stderr)")
    }

    /// Through the proxy that reports ConsumedCapacity as DynamoDB computes it (moto reports one unit a
    /// request): the budget is charged per item, two write units for each item of 1 to 2 KB.
    @Test func theBudgetIsChargedWhatDynamoDBReports() throws {
        let proxy = try DelayProxy(delay: 0, arguments: ["--consumed-capacity"])
        let table = Self.uniqueName("ct-budget-units")
        try ExportImportTests.createEmptyTable(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let payload = String(repeating: "x", count: 1500)
        let lines = (0..<100).map { #"{"Item":{"id":{"S":"u\#($0)"},"p":{"S":"\#(payload)"}}}"# }
        try directory.write("items.json", lines.joined(separator: "\n") + "\n")
        let result = try CommandRunner.run(
            ["import", table, "items.json", "--max-wcu", "100000", "--endpoint-url", proxy.endpoint],
            in: directory.path, environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(table): 200 WCU consumed"), "\(result.stderr)")
    }

    /// On a terminal, a budget far below what the work wants shows on the progress line: the units
    /// consumed against the budget, and a request waiting for it.
    static let terminalDriver = #"""
        import json, sys, pexpect

        spec = json.loads(sys.argv[1])
        child = pexpect.spawn(spec["binary"], spec["arguments"], cwd=spec["directory"], encoding="utf-8",
                              timeout=60, dimensions=(24, 200))
        child.expect_exact("(waiting for capacity)")
        before = child.before
        child.expect(pexpect.EOF)
        child.close()
        problems = []
        if child.exitstatus != 0:
            problems.append("exit status %r" % child.exitstatus)
        if "of 10 WCU/s" not in before:
            problems.append("the line does not show the budget")
        if "imported 30 items" not in child.before:
            problems.append("no summary")
        if problems:
            sys.exit("; ".join(problems) + "\n--- output:\n" + child.before)
        """#

    @Test func aTinyBudgetShowsRequestsWaitingOnTheProgressLine() throws {
        // Through the proxy that charges as DynamoDB does: the first batch of 25 items of 3 KB costs 75
        // WCU, which a budget of 10 a second takes seconds to pay off, so the second batch must wait
        // however slowly the first one went.
        let proxy = try DelayProxy(delay: 0, arguments: ["--consumed-capacity"])
        let table = Self.uniqueName("ct-budget-wait")
        try ExportImportTests.createEmptyTable(table)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let payload = String(repeating: "x", count: 2500)
        let lines = (0..<30).map { #"{"Item":{"id":{"S":"w\#($0)"},"p":{"S":"\#(payload)"}}}"# }
        try directory.write("items.json", lines.joined(separator: "\n") + "\n")
        let spec: [String: Any] = [
            "binary": CommandRunner.executable.path, "directory": directory.path,
            "arguments": [
                "import", table, "items.json", "--max-wcu", "10", "--endpoint-url", proxy.endpoint,
            ],
        ]
        let (status, text) = try CommandRunner.runTerminalDriver(Self.terminalDriver, spec: spec)
        #expect(status == 0, "\(text)")
    }
}

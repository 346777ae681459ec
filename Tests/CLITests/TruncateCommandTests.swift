import Foundation
import Testing

/// `sentinel-tables truncate`: every item deleted and the table kept, counted with --dry-run, asked
/// for by name, refused for a table with deletion protection and for a protected target; checked with
/// boto3 against the local server.
@Suite struct TruncateCommandTests {
    /// A table keyed by `id` and `user` (a reserved word: the keys-only scan must alias it), with
    /// `count` items, made by boto3.
    static func makeTable(_ table: String, items count: Int, protected: Bool = false) throws {
        _ = try LocalDynamoDB.boto3(
            """
            ddb.create_table(TableName='\(table)', BillingMode='PAY_PER_REQUEST',
                DeletionProtectionEnabled=\(protected ? "True" : "False"),
                KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}, {'AttributeName': 'user', 'KeyType': 'RANGE'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'},
                                      {'AttributeName': 'user', 'AttributeType': 'S'}])
            for i in range(\(count)):
                ddb.put_item(TableName='\(table)', Item={'id': {'S': 'i%03d' % (i % 7)}, 'user': {'S': 'u%03d' % i},
                    'payload': {'S': 'x' * 50}})
            """)
    }

    static func count(_ table: String) throws -> Int {
        Int(
            try LocalDynamoDB.boto3(
                """
                pages = ddb.get_paginator('scan').paginate(TableName='\(table)', Select='COUNT', ConsistentRead=True)
                print(sum(page['Count'] for page in pages))
                """
            ).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    @Test func dryRunCountsAndYesEmptiesTheTable() throws {
        let table = Self.uniqueName("ct-trunc")
        try Self.makeTable(table, items: 60)
        let counted = try LocalDynamoDB.tool(["truncate", table, "--dry-run"])
        #expect(counted.status == 0, "\(counted.stderr)")
        #expect(counted.stderr.contains("\(table): 60 items would be deleted (--dry-run: nothing was)"))
        #expect(try Self.count(table) == 60)

        let refused = try LocalDynamoDB.tool(["truncate", table])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not on a terminal: run truncate with --yes to confirm"))
        #expect(try Self.count(table) == 60)

        let emptied = try LocalDynamoDB.tool([
            "truncate", table, "--yes", "--segments", "3", "--max-wcu", "10000",
        ])
        #expect(emptied.status == 0, "\(emptied.stderr)")
        #expect(emptied.stderr.contains("\(table): deleted 60 items; the table is kept"))
        #expect(emptied.stderr.contains("WCU consumed"))
        #expect(try Self.count(table) == 0)
        // The table is still there.
        #expect(try LocalDynamoDB.tool(["status", table]).status == 0)
    }

    @Test func aTableWithDeletionProtectionIsRefused() throws {
        let table = Self.uniqueName("ct-trunc-prot")
        try Self.makeTable(table, items: 3, protected: true)
        let result = try LocalDynamoDB.tool(["truncate", table, "--yes"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("table '\(table)' has deletion protection on: truncate refuses it"))
        #expect(try Self.count(table) == 3)
    }

    @Test func aProtectedTargetIsRefused() throws {
        let table = Self.uniqueName("ct-trunc-target")
        try Self.makeTable(table, items: 3)
        let directory = try ScriptDirectory()
        defer { directory.remove() }
        let endpoint = try LocalDynamoDB.endpoint()
        try directory.write(
            "targets.lua",
            "return { dev = { endpoint_url = '\(endpoint)' }, prod = { endpoint_url = '\(endpoint)', protect = true } }\n"
        )
        let result = try CommandRunner.run(
            ["truncate", table, "--yes", "--target", "prod"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("target 'prod' is protected: truncate refuses it"))
        #expect(try Self.count(table) == 3)
        let dev = try CommandRunner.run(
            ["truncate", table, "--yes", "--target", "dev"], in: directory.path,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(dev.status == 0, "\(dev.stderr)")
        #expect(try Self.count(table) == 0)
    }

    /// On a terminal truncate asks for the table's name: a wrong answer deletes nothing, the name goes on.
    static let terminalDriver = #"""
        import json, sys, pexpect

        spec = json.loads(sys.argv[1])
        def run(answer):
            child = pexpect.spawn(spec["binary"], ["truncate", spec["table"], "--endpoint-url", spec["endpoint"]],
                                  encoding="utf-8", timeout=30, dimensions=(24, 200))
            child.expect_exact("Type the table's name to go on: ")
            child.sendline(answer)
            child.expect(pexpect.EOF)
            child.close()
            return child.exitstatus, child.before
        status, text = run("yes")
        if status != 1 or "Not confirmed; nothing was deleted." not in text:
            sys.exit("a wrong answer: %r %s" % (status, text))
        status, text = run(spec["table"])
        if status != 0 or "deleted 5 items" not in text:
            sys.exit("the name: %r %s" % (status, text))
        """#

    @Test func asksForTheTablesNameOnATerminal() throws {
        let table = Self.uniqueName("ct-trunc-ask")
        try Self.makeTable(table, items: 5)
        let spec: [String: Any] = [
            "binary": CommandRunner.executable.path, "endpoint": try LocalDynamoDB.endpoint(), "table": table,
        ]
        let (status, text) = try CommandRunner.runTerminalDriver(Self.terminalDriver, spec: spec)
        #expect(status == 0, "\(text)")
        #expect(try Self.count(table) == 0)
    }
}

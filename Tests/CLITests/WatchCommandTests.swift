import Foundation
import Testing

/// `sentinel-tables watch`: a table's changes from its DynamoDB stream, made by boto3 (an independent
/// client) against the local server, which serves DynamoDB Streams on the same endpoint.
@Suite struct WatchCommandTests {
    /// Creates `table` with boto3, with a stream of `view` (none when nil), and `extra` Python after.
    static func createTable(_ table: String, view: String?, extra: String = "") throws {
        let stream =
            view.map { ", StreamSpecification={'StreamEnabled': True, 'StreamViewType': '\($0)'}" } ?? ""
        _ = try LocalDynamoDB.boto3(
            """
            ddb.create_table(TableName='\(table)', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}],
                BillingMode='PAY_PER_REQUEST'\(stream))
            \(extra)
            """)
    }

    /// A put, an update of `n` and a delete of item `a`, by boto3.
    static let threeChanges = """
        ddb.put_item(TableName=TABLE, Item={'id': {'S': 'a'}, 'n': {'N': '1'}, 'status': {'S': 'new'}})
        ddb.update_item(TableName=TABLE, Key={'id': {'S': 'a'}}, UpdateExpression='SET n = :v',
            ExpressionAttributeValues={':v': {'N': '2'}})
        ddb.delete_item(TableName=TABLE, Key={'id': {'S': 'a'}})
        """

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    @Test func readableLinesShowEachChangeAndWhatChanged() throws {
        let table = Self.uniqueName("ct-watch")
        try Self.createTable(
            table, view: "NEW_AND_OLD_IMAGES",
            extra: "TABLE = '\(table)'\n" + Self.threeChanges)
        let result = try LocalDynamoDB.tool(["watch", table, "--since", "trim-horizon", "--until-caught-up"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3, "\(result.stdout)")
        #expect(lines[0].contains("INSERT") && lines[0].contains(#"id="a""#) && lines[0].contains("n=1"))
        #expect(lines[1].contains("MODIFY") && lines[1].contains("n: 1 -> 2") && !lines[1].contains("status"))
        #expect(lines[2].contains("REMOVE") && lines[2].contains(#"id="a""#))
        #expect(
            result.stderr.contains("watching \(table) (stream view NEW_AND_OLD_IMAGES, from trim-horizon"))
        #expect(result.stderr.contains("caught up, 3 changes shown"))
    }

    @Test func jsonLinesAndFilters() throws {
        let table = Self.uniqueName("ct-watch-json")
        try Self.createTable(
            table, view: "NEW_AND_OLD_IMAGES", extra: "TABLE = '\(table)'\n" + Self.threeChanges)
        let result = try LocalDynamoDB.tool([
            "watch", table, "--since", "trim-horizon", "--until-caught-up", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let objects = try result.stdout.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        try #require(objects.count == 3, "\(result.stdout)")
        #expect(objects.map { $0["event"] as? String } == ["INSERT", "MODIFY", "REMOVE"])
        #expect((objects[1]["changed"] as? [String]) == ["n"])
        #expect((objects[1]["old"] as? [String: Any])?["n"] as? Int == 1)
        #expect((objects[1]["new"] as? [String: Any])?["n"] as? Int == 2)
        #expect((objects[2]["keys"] as? [String: Any])?["id"] as? String == "a")
        #expect(objects[2]["new"] == nil)

        let modified = try LocalDynamoDB.tool([
            "watch", table, "--since", "trim-horizon", "--until-caught-up", "--filter", "event=MODIFY",
            "--filter", "changed=n",
        ])
        #expect(modified.status == 0, "\(modified.stderr)")
        #expect(modified.stdout.split(separator: "\n").count == 1 && modified.stdout.contains("MODIFY"))
        let byValue = try LocalDynamoDB.tool([
            "watch", table, "--since", "trim-horizon", "--until-caught-up", "--filter", "status=new",
        ])
        // The INSERT and the MODIFY have status "new" after the change; the REMOVE had it before.
        #expect(byValue.stdout.split(separator: "\n").count == 3, "\(byValue.stdout)")
        let none = try LocalDynamoDB.tool([
            "watch", table, "--since", "trim-horizon", "--until-caught-up", "--filter", "n!=2",
            "--filter", "event!=INSERT",
        ])
        #expect(none.stdout.isEmpty, "\(none.stdout)")
    }

    @Test func aTableWithoutAStreamIsToldHowToEnableOne() throws {
        let table = Self.uniqueName("ct-watch-none")
        try Self.createTable(table, view: nil)
        let result = try LocalDynamoDB.tool(["watch", table])
        #expect(result.status == 1)
        #expect(result.stderr.contains("table '\(table)' has no DynamoDB stream enabled"), "\(result.stderr)")
        #expect(result.stderr.contains("StreamViewType=NEW_AND_OLD_IMAGES"))
        #expect(result.stderr.contains("KEYS_ONLY the key alone"))
    }

    @Test func aKeysOnlyStreamSaysWhatItCannotShow() throws {
        let table = Self.uniqueName("ct-watch-keys")
        try Self.createTable(table, view: "KEYS_ONLY", extra: "TABLE = '\(table)'\n" + Self.threeChanges)
        let result = try LocalDynamoDB.tool(["watch", table, "--since", "trim-horizon", "--until-caught-up"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("the stream records keys only (KEYS_ONLY)"))
        #expect(result.stdout.split(separator: "\n").count == 3)
        #expect(!result.stdout.contains("n="))
    }

    @Test func breakGlassEventsAreHighlightedByThePreset() throws {
        let table = Self.uniqueName("sentinel-breakglass-ct")
        try Self.createTable(
            table, view: "NEW_AND_OLD_IMAGES",
            extra: """
                ddb.put_item(TableName='\(table)', Item={'id': {'S': 'bg1'}, 'invoker': {'S': 'alice'},
                    'profile': {'S': 'prod'}, 'status': {'S': 'active'}, 'reason_code': {'S': 'incident'}})
                ddb.update_item(TableName='\(table)', Key={'id': {'S': 'bg1'}},
                    UpdateExpression='SET #s = :v', ExpressionAttributeNames={'#s': 'status'},
                    ExpressionAttributeValues={':v': {'S': 'closed'}})
                """)
        let result = try LocalDynamoDB.tool(["watch", table, "--since", "trim-horizon", "--until-caught-up"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 2, "\(result.stdout)")
        #expect(lines[0].hasPrefix("BREAK-GLASS ") && lines[0].contains(#"invoker="alice""#))
        #expect(!lines[1].hasPrefix("BREAK-GLASS") && lines[1].contains(#"status: "active" -> "closed""#))
        #expect(lines[1].contains(#"invoker="alice""#))
        #expect(result.stderr.contains("preset breakglass"))
        let plain = try LocalDynamoDB.tool([
            "watch", table, "--since", "trim-horizon", "--until-caught-up", "--preset", "none",
        ])
        #expect(!plain.stdout.contains("BREAK-GLASS"))
    }

    @Test func badOptionsAreUsageErrors() throws {
        let filter = try LocalDynamoDB.tool(["watch", "t", "--filter", "nonsense"])
        #expect(filter.status == 2)
        #expect(filter.stderr.contains("filter 'nonsense' is not NAME=VALUE"), "\(filter.stderr)")
        let preset = try LocalDynamoDB.tool(["watch", "t", "--preset", "audit"])
        #expect(preset.status == 2)
        #expect(preset.stderr.contains("--preset must be auto, approvals, breakglass, sessions or none"))
        let since = try LocalDynamoDB.tool(["watch", "t", "--since", "yesterday"])
        #expect(since.status == 2)
    }

    /// What a person sees: `watch` waiting at the stream's end, boto3 making a put, an update and a
    /// delete, each line appearing, and Ctrl-C ending the watch with status 0 and a count.
    static let terminalDriver = #"""
        import json, sys, pexpect, boto3

        spec = json.loads(sys.argv[1])
        ddb = boto3.client("dynamodb", endpoint_url=spec["endpoint"])
        TABLE = spec["table"]
        child = pexpect.spawn(spec["binary"], ["watch", TABLE, "--endpoint-url", spec["endpoint"]],
                              encoding="utf-8", timeout=30, dimensions=(24, 200))
        child.expect_exact("Ctrl-C to stop")
        exec(spec["changes"])
        for text in ["INSERT", "MODIFY", "n: 1 -> 2", "REMOVE"]:
            child.expect_exact(text)
        child.sendintr()
        child.expect(pexpect.EOF, timeout=15)
        child.close()
        problems = []
        if child.exitstatus != 0:
            problems.append("exit status %r (signal %r), not 0" % (child.exitstatus, child.signalstatus))
        if "watch stopped: 3 changes shown" not in child.before:
            problems.append("no count")
        if problems:
            sys.exit("; ".join(problems) + "\n--- output:\n" + child.before)
        """#

    @Test func followsChangesAsTheyHappenUntilCtrlC() throws {
        let table = Self.uniqueName("ct-watch-live")
        try Self.createTable(table, view: "NEW_AND_OLD_IMAGES")
        let spec: [String: Any] = [
            "binary": CommandRunner.executable.path, "endpoint": try LocalDynamoDB.endpoint(), "table": table,
            "changes": Self.threeChanges,
        ]
        let (status, text) = try CommandRunner.runTerminalDriver(Self.terminalDriver, spec: spec)
        #expect(status == 0, "\(text)")
    }
}

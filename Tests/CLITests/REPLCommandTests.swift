import Foundation
import Testing

/// `sentinel-tables repl` with standard input from a pipe: no prompts, statements run in order.
@Suite("repl without a terminal")
struct REPLCommandTests {
    func repl(_ input: String) throws -> CommandResult {
        try CommandRunner.run(["repl"], stdin: input, environment: ["XDG_STATE_HOME": "/tmp/ct-repl-state"])
    }

    @Test func printsTheValuesOfExpressions() throws {
        let result = try repl("1 + 2\n=\"a\" .. \"b\"\nreturn 1, nil, true\nx = 5\nx * 2\n")
        #expect(result.stdout == "3\n\"ab\"\n1\tnil\ttrue\n10\n")
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }

    @Test func continuesAnUnfinishedStatement() throws {
        let result = try repl(
            "function add(a, b)\n  return a + b\nend\nadd(2, 3)\nt = {\n  1,\n  2,\n}\n#t\n")
        #expect(result.stdout == "5\n2\n")
        #expect(result.status == 0)
    }

    @Test func reportsAnErrorAndGoesOn() throws {
        let result = try repl("error('boom')\n=1 + 1\nx = = 1\n=2 + 2\n")
        #expect(result.stdout == "2\n4\n")
        #expect(result.stderr.contains("stdin:1: boom"))
        #expect(result.stderr.contains("unexpected symbol"))
        #expect(result.status == 1)
    }

    @Test func anUnfinishedStatementAtTheEndFails() throws {
        let result = try repl("function f(\n")
        #expect(result.stderr.contains("<eof>"))
        #expect(result.status == 1)
    }

    @Test func printsNestedTablesWithSortedKeysAndCycles() throws {
        let result = try repl("t = { b = { 2, 3 }, a = 1, [\"with space\"] = true }\nt.self = t\n=t\n")
        #expect(result.stdout == "{ a = 1, b = { 2, 3 }, self = <cycle>, [\"with space\"] = true }\n")
    }

    @Test func indentsTablesTooWideForOneLine() throws {
        let result = try repl(
            "={ name = string.rep('n', 50), tags = { team = 'platform', env = 'prod' }, list = { 1, 2 } }\n")
        #expect(
            result.stdout == """
                {
                  list = { 1, 2 },
                  name = "\(String(repeating: "n", count: 50))",
                  tags = { env = "prod", team = "platform" },
                }

                """)
    }

    @Test func printsAListOfItemsAsAnAlignedTable() throws {
        let result = try repl(
            "={ { user = 'ann', status = 'active', id = 'a1' }, { id = 'b2', note = 'x', user = 'bob', status = 'closed' } }\n"
        )
        #expect(
            result.stdout == """
                id  status  user  note
                --  ------  ----  ----
                a1  active  ann
                b2  closed  bob   x
                (2 items)

                """)
    }

    @Test func printsQueryResultsFromTheServerAsATable() throws {
        let table = "ct-rows-" + UUID().uuidString.prefix(8).lowercased()
        _ = try LocalDynamoDB.boto3(
            """
            name = '\(table)'
            ddb.create_table(TableName=name, BillingMode='PAY_PER_REQUEST',
                KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
                AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}])
            ddb.put_item(TableName=name, Item={'id': {'S': 'r2'}, 'status': {'S': 'pending'}, 'n': {'N': '2.50'}})
            ddb.put_item(TableName=name, Item={'id': {'S': 'r1'}, 'status': {'S': 'approved'},
                'roles': {'SS': ['admin']}})
            """)
        var environment = LocalDynamoDB.clientEnvironment
        environment["XDG_STATE_HOME"] = "/tmp/ct-repl-state"
        let result = try CommandRunner.run(
            ["repl", "--endpoint-url", try LocalDynamoDB.endpoint()],
            stdin:
                "items = db.scan('\(table)')\ntable.sort(items, function(a, b) return a.id < b.id end)\n=items\n",
            environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        var lines = result.stdout.split(separator: "\n").map(String.init)
        // The scan's statement printed no rows, only what it cost.
        try #require(lines.first?.hasPrefix("-- Scan on \(table): 1 page") == true, "\(result.stdout)")
        lines.removeFirst()
        try #require(lines.count == 5, "\(result.stdout)")
        #expect(lines[0].split(separator: " ") == ["id", "status", "n", "roles"])
        #expect(lines[2].hasPrefix("r1  approved") && lines[2].contains("admin"))
        #expect(lines[3].hasPrefix("r2  pending") && lines[3].contains("2.5"))
        #expect(lines[4] == "(2 items)")
    }

    @Test func fitsWideItemTablesToEightyColumns() throws {
        let result = try repl(
            "items = {}\nfor i = 1, 3 do items[i] = { id = 'item-' .. i, a = string.rep('a', 40), "
                + "b = string.rep('b', 40), c = i * 1.5 } end\n=items\n")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines.first?.hasPrefix("id") == true)
        #expect(lines.last == "(3 items)")
    }

    @Test func cutsLongStringsAndEscapesBytes() throws {
        let result = try repl("=string.rep('x', 1000)\n='a\\0b\\255'\n")
        #expect(result.stdout.contains("\"... (1000 bytes)"))
        #expect(result.stdout.contains("\"a\\x00b\\xFF\""))
    }

    @Test func survivesGarbageAndVeryLongLines() throws {
        let long = "x = '" + String(repeating: "a", count: 1_000_000) + "'\n=#x\n"
        let result = try repl("\u{01}\u{7f}\u{ff}@@@)(\n" + long + "return ((((((((((\n")
        #expect(!result.killedBySignal)
        #expect(result.stdout.contains("1000000"))
        #expect(result.status == 1)
    }

    @Test func bindsDbAndDoesNotNeedAWS() throws {
        let result = try repl("=db == sentinel.db\n=sentinel.validate(sentinel.schema.sessions())\n")
        #expect(result.stdout == "true\ntrue\n")
        #expect(result.status == 0)
    }

    @Test func helpListsTheAPIAndShowsOneFunction() throws {
        let result = try repl("help()\nhelp 'sentinel.apply'\nhelp(sentinel.validate)\nhelp 'nothing'\n")
        #expect(result.stdout.contains("sentinel.schema.sessions(options?)"))
        #expect(result.stdout.contains("sentinel.apply(schemas, options?) -> sentinel.ApplyResult[]"))
        #expect(result.stdout.contains("Converges every table to its schema"))
        #expect(result.stdout.contains("sentinel.validate(schema) -> true|nil, string?"))
        #expect(result.stdout.contains("no help for 'nothing'"))
        #expect(result.status == 0)
    }

    @Test func setsPrintWithTheirQuotesAndCellsShowValues() throws {
        let result = try repl(
            "=sentinel.set { 'carol', 'dave' }\n"
                + "={ { id = 'a1', n = sentinel.number('12345678901234567890.5'), who = sentinel.set { 'carol', 'dave' } } }\n"
        )
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 5, "\(result.stdout)\(result.stderr)")
        #expect(lines[0] == #"sentinel.set SS{"carol", "dave"}"#)
        #expect(lines[1].split(separator: " ") == ["id", "n", "who"])
        #expect(lines[3] == #"a1  12345678901234567890.5  SS{"carol", "dave"}"#)
    }

    /// Sentinel's items: keys and common columns stay whole, timestamps are not cut, and the columns
    /// of two odd items are left out (and named) instead.
    @Test func widthGoesToKeyAndCommonColumnsBeforeRareOnes() throws {
        let result = try repl(
            """
            items = {}
            for i = 1, 8 do
              items[i] = { id = 'req-' .. i, created_at = '2024-05-0' .. i .. 'T10:00:00Z', requester = 'alice',
                status = 'pending', profile = 'prod-admin', reason = 'deploy hotfix ' .. i }
            end
            items[2].approver_comment = string.rep('c', 50)
            items[5].denial_reason = string.rep('d', 50)
            =items

            """)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(result.stdout)")
        let header = lines.first?.split(separator: " ").map(String.init) ?? []
        #expect(
            header == ["id", "created_at", "profile", "reason", "requester", "status"], "\(result.stdout)")
        #expect(lines[2].contains("2024-05-01T10:00:00Z"), "\(result.stdout)")
        #expect(
            lines.last == "(8 items; columns left out to fit: approver_comment, denial_reason)")
    }

    /// Issue 29: at 80 columns, items whose columns are all equally common had every value cut to about
    /// 8 characters. Now no value is cut below 24 cells while a column can be left out instead.
    @Test func equallyCommonColumnsAreLeftOutBeforeAnyValueIsCutBelow24() throws {
        let result = try repl(
            """
            items = {}
            for i = 1, 4 do
              items[i] = { id = 'req-' .. i, created_at = '2026-01-0' .. i .. 'T10:00:00Z',
                requester = 'user' .. i .. '@example.com', approver = 'approver' .. i .. '@example.com',
                profile = 'production-admin-' .. i, reason = string.rep('r', 40) }
            end
            =items

            """)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(result.stdout)")
        let header = lines.first?.split(separator: " ").map(String.init) ?? []
        #expect(header.count >= 2 && header.count < 6, "\(result.stdout)")
        // Every value of a column shown is whole up to 24 characters; a longer one keeps 23 and `~`.
        for row in lines.dropFirst(2).dropLast() {
            for value in row.split(separator: " ", omittingEmptySubsequences: true) {
                #expect(!value.hasSuffix("~") || value.count >= 24, "\(row)")
            }
        }
        #expect(lines[2].contains("2026-01-01T10:00:00Z"), "\(result.stdout)")
        #expect(lines.last?.hasPrefix("(4 items; columns left out to fit: ") == true, "\(result.stdout)")
    }

    /// Bidirectional controls reorder what follows them on a terminal (text that reads as other text):
    /// shown as escapes in strings, table cells and what objects say of themselves.
    @Test func bidirectionalControlsAreShownAsEscapes() throws {
        let result = try repl(
            """
            ="a\\u{202E}b\\u{2066}c\\u{200F}d\\u{61C}e"
            ={ { id = "x\\u{202D}y" } }
            =setmetatable({}, { __name = "thing", __tostring = function() return "p\\u{2067}q" end })

            """)
        #expect(result.stdout.contains(#""a\u{202E}b\u{2066}c\u{200F}d\u{61C}e""#), "\(result.stdout)")
        #expect(result.stdout.contains(#"x\u{202D}y"#), "\(result.stdout)")
        #expect(result.stdout.contains(#"thing(p\u{2067}q)"#), "\(result.stdout)")
        for control in ["\u{202E}", "\u{2066}", "\u{200F}", "\u{061C}", "\u{202D}", "\u{2067}"] {
            #expect(!result.stdout.contains(control))
        }
    }

    /// Input that ends inside a statement is reported as Lua would, `=expr` as `return expr`: near
    /// `<eof>`, not near the `=`.
    @Test(arguments: ["=1 +\n", "x = 1 +\n", "function f()\n"])
    func inputEndingInsideAStatementIsReportedNearEOF(input: String) throws {
        let result = try repl(input)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("stdin:"), "\(result.stderr)")
        #expect(result.stderr.contains("near <eof>"), "\(result.stderr)")
    }

    @Test func helpForAFunctionListsItsOptions() throws {
        let result = try repl("help 'db.query'\n")
        #expect(result.stdout.contains("options (sentinel.QueryOptions):"), "\(result.stdout)")
        for option in ["index?", "where?", "filter?", "limit?", "page_size?", "descending?", "consistent?"] {
            #expect(result.stdout.contains("  " + option), "\(option)")
        }
        #expect(result.stdout.contains("table<string, sentinel.Condition>  the partition key"))
    }

    @Test func showsObjectsByTheirNameAndText() throws {
        let result = try repl(
            "n = setmetatable({}, { __name = 'sentinel.number', __tostring = function() return '12.50' end })\n"
                + "={ price = n }\n")
        #expect(result.stdout == "{ price = sentinel.number(12.50) }\n")
    }

    @Test func goesOnAfterTheMemoryLimit() throws {
        let result = try CommandRunner.run(
            ["repl", "--memory-limit", "16"], stdin: "x = string.rep('x', 64 * 1024 * 1024)\n=1 + 1\n",
            environment: ["XDG_STATE_HOME": "/tmp/ct-repl-state"])
        #expect(result.stderr.contains("memory limit of 16 MB exceeded"))
        #expect(result.stdout == "2\n")
        #expect(result.status == 1)
    }
}

import Foundation
import Testing

/// What each REPL statement costs, and `explain`: against the local server, with statements piped in.
@Suite struct REPLCostTests {
    func repl(_ input: String) throws -> CommandResult {
        try CommandRunner.run(
            ["repl", "--endpoint-url", try LocalDynamoDB.endpoint()], stdin: input,
            environment: LocalDynamoDB.clientEnvironment.merging(["XDG_STATE_HOME": "/tmp/ct-repl-state"]) {
                $1
            })
    }

    @Test func eachStatementIsFollowedByItsRequestsAndTheirCost() throws {
        let table = "ct-cost-\(UUID().uuidString.prefix(8).lowercased())"
        let result = try repl(
            """
            sentinel.apply { sentinel.schema.sessions { name = "\(table)" } }
            db.put("\(table)", { id = "a", status = "active", created_at = "1", user = "u" })
            db.query("\(table)", { index = "gsi-status", where = { status = "active" } })
            1 + 1

            """)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains { $0.hasPrefix("-- PutItem on \(table): 1 request, ") && $0.hasSuffix(" WCU") })
        let query = try #require(
            lines.firstIndex { $0.hasPrefix("-- Query on \(table), index gsi-status: 1 page, ") })
        #expect(lines[query].hasSuffix(" RCU"))
        // After the rows, before what follows.
        #expect(lines[query - 1] == "(1 item)")
        #expect(lines[query + 1] == "2")
        // A statement that sends no item request has no cost line.
        #expect(lines.last == "2")
    }

    @Test func explainShowsTheRequestsWithoutSendingThem() throws {
        let table = "ct-explain-\(UUID().uuidString.prefix(8).lowercased())"
        let result = try repl(
            """
            sentinel.apply { sentinel.schema.sessions { name = "\(table)" } }
            explain [[db.query("\(table)", { index = "gsi-status", where = { status = "active", created_at = { ">=", "2024" } }, filter = { user = "u" } })]]
            explain(function() db.put("\(table)", { id = "b" }) return db.get("\(table)", { id = "b" }) end)
            explain "1 + 1"
            db.get("\(table)", { id = "b" })
            explain(42)

            """)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains(
                #"-- would send Query on \#(table), index gsi-status: key condition status = "active" AND created_at >= "2024"; filter user = "u""#
            ), "\(result.stdout)")
        #expect(lines.contains(#"-- would send PutItem on \#(table): item {"id":"b"}"#))
        #expect(lines.contains(#"-- would send GetItem on \#(table): key {"id":"b"}"#))
        #expect(lines.contains("-- no item requests (nothing to read or write)"))
        // Explained requests were not sent: the put never happened, and they cost nothing.
        #expect(!lines.contains { $0.hasPrefix("-- PutItem") })
        #expect(lines.contains("nil"))
        #expect(
            result.stderr.contains("bad argument #1 to 'explain' (string or function expected, got number)"))
    }
}

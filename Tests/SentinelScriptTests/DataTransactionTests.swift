import DynamoDB
import Foundation
import Lua
import SentinelScript
import Testing

/// `db.transact`, `db.transact_get`, `db.execute` and `db.each` with a PartiQL statement, against
/// moto_server and checked with boto3.
@Suite struct DataTransactionTests {
    @Test func anApprovalAndItsAuditRecordAreWrittenTogetherOrNotAtAll() async throws {
        try await LocalData.withClient { client, _ in
            let requests = LocalData.uniqueName("txreq")
            let audit = LocalData.uniqueName("txaudit")
            try await LocalData.createTable(client, requests)
            try await LocalData.createTable(client, audit)
            let results = try await LocalData.run(
                client,
                """
                local R, A = ...
                local db = sentinel.db
                db.put(R, { id = "req-1", status = "pending" })
                local function approve(n)
                  return db.transact {
                    { update = R, key = { id = "req-1" }, changes = { status = "approved" },
                      condition = { status = "pending" } },
                    { put = A, item = { id = "audit-" .. n, request = "req-1", action = "approve" }, exists = false },
                  }
                end
                assert(approve(1) == true)
                local ok, why, reasons = approve(2)
                assert(ok == false and why == "transaction cancelled", tostring(why))
                assert(#reasons == 2)
                assert(reasons[1].code == "ConditionalCheckFailed", reasons[1].code)
                assert(reasons[1].item.status == "approved")
                assert(reasons[2].code == "None" and reasons[2].item == nil)
                local got = db.transact_get { { R, { id = "req-1" } }, { table = A, key = { id = "audit-2" } },
                  { A, { id = "audit-1" } } }
                return got.n, got[1].status, got[2] == nil, got[3].action
                """, arguments: [requests, audit])
            #expect(results == [.integer(3), .text("approved"), .boolean(true), .text("approve")])
            let seen = try Boto3.run(
                """
                items = client.scan(TableName=sys.argv[3], ConsistentRead=True)["Items"]
                status = client.get_item(TableName=table, Key={"id": {"S": "req-1"}}, ConsistentRead=True)["Item"]["status"]["S"]
                print(json.dumps({"audit": sorted(i["id"]["S"] for i in items), "status": status}))
                """, table: requests, extra: [audit])
            let answer = try #require(seen as? [String: Any])
            #expect(answer["audit"] as? [String] == ["audit-1"])
            #expect(answer["status"] as? String == "approved")
        }
    }

    @Test func mistakesInATransactionAreNamedBeforeAnythingIsSent() async throws {
        try await LocalData.withClient { client, log in
            let table = LocalData.uniqueName("txbad")
            try await LocalData.createTable(client, table)
            log.reset()
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local db = sentinel.db
                local function err(actions, options)
                  local ok, message = pcall(db.transact, actions, options)
                  assert(not ok)
                  return message
                end
                local many = {}
                for i = 1, 101 do many[i] = { put = T, item = { id = tostring(i) } } end
                return err(many),
                  err { { put = T, item = { id = "x" } }, { update = T, key = { id = "x" }, add = { n = 1 } } },
                  err { { put = T, item = { id = "x" }, kye = 1 } },
                  err { { put = T, delete = T, key = { id = "x" } } },
                  err { { check = T, key = { id = "x" } } },
                  err { { update = T, key = { id = "x" } } },
                  err { { put = T, item = { id = "x", bad = 0/0 } } },
                  err({ { put = T, item = { id = "x" } } }, { token = string.rep("t", 37) }),
                  err {}
                """, arguments: [table])
            let messages = results.map { $0.stringValue ?? "" }
            #expect(messages[0].contains("101 actions; DynamoDB allows at most 100"))
            #expect(messages[1].contains("actions[1] and actions[2] are on the same item of table"))
            #expect(messages[2].contains("unknown option 'kye' in sentinel.db.transact actions[1]"))
            #expect(
                messages[3].contains("actions[1] must name one table as put =, update =, delete = or check =")
            )
            #expect(messages[4].contains("actions[1]: a check needs condition"))
            #expect(messages[5].contains("actions[1]: nothing to change"))
            #expect(messages[6].contains("actions[1].item.bad"))
            #expect(messages[7].contains("option 'token' must be a string of 1 to 36 characters"))
            #expect(messages[8].contains("non-empty list of actions"))
            // Only the table's description was asked for (for its keys); no transaction was sent.
            #expect(log.count("TransactWriteItems") == 0)
        }
    }

    @Test func partiQLStatementsReadAndWriteWithParameters() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("partiql")
            try await LocalData.createTable(client, table)
            _ = try Boto3.run(
                """
                for i in range(30):
                    client.put_item(TableName=table, Item={"id": {"S": "s%02d" % i}, "n": {"N": str(i)}})
                print("{}")
                """, table: table)
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local db = sentinel.db
                local one = db.execute('SELECT * FROM "' .. T .. '" WHERE id = ?', { "s07" }, { consistent = true })
                assert(#one == 1 and one[1].n == 7)
                assert(#db.execute('INSERT INTO "' .. T .. '" VALUE {\\'id\\': \\'new\\', \\'n\\': 100}') == 0)
                db.execute('UPDATE "' .. T .. '" SET n = ? WHERE id = ?', { 8, "s07" })
                local limited = db.execute('SELECT * FROM "' .. T .. '"', nil, { limit = 5 })
                local count, sum = 0, 0
                for item in db.each('SELECT * FROM "' .. T .. '"') do count = count + 1; sum = sum + item.n end
                local bad = select(2, pcall(db.execute, 'SELECT * FROM "' .. T .. '"', { 1, 0/0 }))
                local badOption = select(2, pcall(db.execute, 'SELECT * FROM "' .. T .. '"', nil, { limit = 0 }))
                return #limited, count, sum, bad, badOption
                """, arguments: [table])
            // 0+1+...+29 = 435, s07 changed 7 -> 8, one new item with 100.
            #expect(Array(results.prefix(3)) == [.integer(5), .integer(31), .integer(536)])
            #expect(results[3].stringValue?.contains("params[2]") == true)
            #expect(
                results[4].stringValue?.contains(
                    "option 'limit' of sentinel.db.execute must be a whole number from 1") == true)
            let seen = try Boto3.run(
                """
                a = client.get_item(TableName=table, Key={"id": {"S": "s07"}}, ConsistentRead=True)["Item"]["n"]["N"]
                b = client.get_item(TableName=table, Key={"id": {"S": "new"}}, ConsistentRead=True)["Item"]["n"]["N"]
                print(json.dumps([a, b]))
                """, table: table)
            #expect(seen as? [String] == ["8", "100"])
        }
    }
}

import DynamoDB
import Foundation
import Lua
import SentinelScript
import Testing

/// Conditional writes: `condition` and `exists` on put, update and delete, against moto_server and
/// checked with boto3.
@Suite struct DataConditionTests {
    @Test func conditionsDecideWritesAndAFailureReturnsFalseAndTheItem() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("cond")
            try await LocalData.createTable(client, table)
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local db = sentinel.db
                -- create-only
                assert(db.put(T, { id = "r1", status = "pending", n = 1 }, { exists = false }) == true)
                assert(db.put(T, { id = "r2", status = "pending" }, { exists = false }) == true)
                local ok, why, was = db.put(T, { id = "r2", status = "overwritten" }, { exists = false })
                assert(ok == false and why == "condition failed" and was.status == "pending", tostring(why))
                -- approve only if still pending: once
                assert(db.update(T, { id = "r1" }, { status = "approved" }, { condition = { status = "pending" } }).status
                  == "approved")
                ok, why, was = db.update(T, { id = "r1" }, { status = "approved" }, { condition = { status = "pending" } })
                assert(ok == false and why == "condition failed" and was.status == "approved")
                -- a condition on an item that is not there fails with no item
                ok, why, was = db.delete(T, { id = "none" }, { exists = true })
                assert(ok == false and why == "condition failed" and was == nil)
                ok, why, was = db.update(T, { id = "ghost" }, { n = 1 }, { exists = true })
                assert(ok == false and was == nil)
                -- every filter form: the reserved word status, <>, >, between, begins_with, contains, exists
                ok, why, was = db.delete(T, { id = "r1" }, { condition = { status = "active" } })
                assert(ok == false and was.id == "r1" and was.n == 1)
                local old = db.delete(T, { id = "r1" }, { condition = {
                  status = { "<>", "x" }, n = { ">", 0 }, id = { begins_with = "r" }, gone = { exists = false } } })
                assert(old.status == "approved")
                -- other errors are still errors, and unknown options are named
                assert(not pcall(db.put, T, { nope = 1 }, { exists = false }))
                local _, unknown = pcall(db.put, T, { id = "x" }, { conditon = {} })
                return unknown
                """, arguments: [table])
            #expect(results.first?.stringValue?.contains("unknown option 'conditon'") == true)
            let seen = try Boto3.run(
                """
                items = client.scan(TableName=table, ConsistentRead=True)["Items"]
                print(json.dumps({i["id"]["S"]: i["status"]["S"] for i in items}))
                """, table: table)
            // r1 deleted by its condition, r2 never overwritten, ghost never created.
            #expect(seen as? [String: String] == ["r2": "pending"])
        }
    }

    @Test func aConditionOnAnItemBoto3WroteIsCheckedByTheServer() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("condboto")
            try await LocalData.createTable(client, table)
            _ = try Boto3.run(
                """
                client.put_item(TableName=table, Item={"id": {"S": "s1"}, "status": {"S": "active"}, "user": {"S": "u"}})
                print("{}")
                """, table: table)
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local db = sentinel.db
                local revoked = db.update(T, { id = "s1" }, { status = "revoked" },
                  { condition = { status = "active", user = "u" } })
                local again, why = db.update(T, { id = "s1" }, { status = "revoked" }, { condition = { status = "active" } })
                return revoked.status, again, why
                """, arguments: [table])
            #expect(results == [.text("revoked"), .boolean(false), .text("condition failed")])
            let status = try Boto3.run(
                """
                item = client.get_item(TableName=table, Key={"id": {"S": "s1"}}, ConsistentRead=True)["Item"]
                print(json.dumps(item["status"]["S"]))
                """, table: table)
            #expect(status as? String == "revoked")
        }
    }
}

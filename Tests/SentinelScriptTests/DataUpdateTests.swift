import DynamoDB
import Foundation
import Lua
import SentinelScript
import Testing

/// `db.update`'s options beyond SET and REMOVE, against moto_server and checked with boto3.
@Suite struct DataUpdateTests {
    @Test func countersSetsListsDefaultsAndNestedPaths() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("update")
            try await LocalData.createTable(client, table)
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local db = sentinel.db
                db.put(T, { id = "u1", tags = sentinel.set { "a", "b" }, log = { "first" },
                  profile = { limits = { max = 1 }, names = { "x", "y" } }, status = "old" })
                -- two updates that do not read the item: the counter ends at 2 either way
                db.update(T, { id = "u1" }, nil, { add = { visits = 1, tags = sentinel.set { "c" } } })
                local item = db.update(T, { id = "u1" }, { status = "new" }, {
                  add = { visits = 1, { { "profile", "limits", "max" }, 10 } },
                  delete_from = { tags = sentinel.set { "a" } },
                  append = { log = { "last" }, fresh = { 1 } },
                  if_not_exists = { created_at = "2024-01-01" },
                  set = { { { "profile", "names", 2 }, "Y" } },
                  remove = { { "profile", "names", 1 } },
                })
                -- one path per update (DynamoDB refuses overlapping paths): prepend on its own
                item = db.update(T, { id = "u1" }, nil, { prepend = { { { "log" }, { "zeroth" } } } })
                assert(item.visits == 2 and item.status == "new")
                assert(item.tags == sentinel.set { "b", "c" })
                assert(item.profile.limits.max == 11)
                assert(table.concat(item.log, ",") == "zeroth,first,last", table.concat(item.log, ","))
                assert(item.fresh[1] == 1 and item.created_at == "2024-01-01")
                -- `set` wrote position 2 (DynamoDB's [1]), then `remove` removed position 1
                assert(#item.profile.names == 1 and item.profile.names[1] == "Y")
                -- if_not_exists keeps an attribute that is there
                assert(db.update(T, { id = "u1" }, nil, { if_not_exists = { created_at = "later" } }).created_at
                  == "2024-01-01")
                -- wrong kinds are refused by path before anything is sent
                local errors = {}
                for _, options in ipairs {
                  { add = { visits = "x" } }, { delete_from = { tags = "a" } }, { append = { log = "x" } },
                  { remove = { { 1 } } }, { add = { { { "a" } } } },
                } do
                  local ok, err = pcall(db.update, T, { id = "u1" }, nil, options)
                  assert(not ok)
                  errors[#errors + 1] = err
                end
                return table.concat(errors, "\\n")
                """, arguments: [table])
            let errors = results.first?.stringValue ?? ""
            #expect(errors.contains("add.visits: add takes a number or a sentinel.set"))
            #expect(errors.contains("delete_from.tags: delete_from takes a sentinel.set"))
            #expect(errors.contains("append.log: append takes a list"))
            #expect(errors.contains("remove[1]: an attribute name or a path"))
            #expect(errors.contains("add[1]: { path, value } expected"))
            let seen = try Boto3.run(
                """
                item = client.get_item(TableName=table, Key={"id": {"S": "u1"}}, ConsistentRead=True)["Item"]
                print(json.dumps({"visits": item["visits"]["N"], "tags": sorted(item["tags"]["SS"]),
                                  "max": item["profile"]["M"]["limits"]["M"]["max"]["N"],
                                  "log": [e["S"] for e in item["log"]["L"]],
                                  "names": [e["S"] for e in item["profile"]["M"]["names"]["L"]]}))
                """, table: table)
            let answer = seen as? [String: Any]
            #expect(answer?["visits"] as? String == "2")
            #expect(answer?["tags"] as? [String] == ["b", "c"])
            #expect(answer?["max"] as? String == "11")
            #expect(answer?["log"] as? [String] == ["zeroth", "first", "last"])
            #expect(answer?["names"] as? [String] == ["Y"])
        }
    }

    @Test func placeholdersCarryReservedWordsAndOddNames() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("updnames")
            try await LocalData.createTable(client, table)
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local db = sentinel.db
                local item = db.update(T, { id = "r" }, nil, {
                  add = { ttl = 5, ["a.b"] = 1 }, if_not_exists = { status = "new", user = "u" },
                  append = { { { "#n0" }, { ":v0" } } },
                })
                return item.ttl, item["a.b"], item.status, item.user, item["#n0"][1]
                """, arguments: [table])
            #expect(results == [.integer(5), .integer(1), .text("new"), .text("u"), .text(":v0")])
        }
    }
}

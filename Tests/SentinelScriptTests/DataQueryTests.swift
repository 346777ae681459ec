import DynamoDB
import Foundation
import Lua
import SentinelScript
import Testing

/// Query, scan, each, count and the batch functions against moto_server.
@Suite struct DataQueryTests {
    /// 12 items of a table keyed by the reserved words `user` / `created_at`, with a `gsi-status` index.
    static let seed = #"""
        local T = ...
        local items = {}
        for i = 1, 12 do
          items[i] = {
            user = i <= 8 and "u1" or "u2",
            created_at = ("2024-01-%02d"):format(i),
            status = i % 2 == 0 and "active" or "closed",
            n = i, ttl = i <= 4 and i or nil, tags = i == 3 and sentinel.set { "red", "blue" } or nil,
          }
        end
        assert(sentinel.db.put_all(T, items) == 12)
        """#

    func withSeededTable(_ body: (DynamoDBClient, RequestLog, String) async throws -> Void) async throws {
        try await LocalData.withClient { client, requests in
            let table = LocalData.uniqueName("query")
            try await LocalData.createTable(
                client, table, partitionKey: "user", sortKey: "created_at",
                gsis: [("gsi-status", "status", "created_at")])
            _ = try await LocalData.run(client, Self.seed, arguments: [table])
            requests.reset()
            try await body(client, requests, table)
        }
    }

    @Test func queryWithKeyConditionsFiltersIndexesAndOrder() async throws {
        try await withSeededTable { client, _, table in
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local db = sentinel.db
                local function ns(items)
                  local out = {}
                  for i, item in ipairs(items) do out[i] = item.n end
                  return table.concat(out, ",")
                end
                assert(ns(db.query(T, { where = { user = "u1" } })) == "1,2,3,4,5,6,7,8")
                assert(ns(db.query(T, { where = { user = "u1", created_at = { ">=", "2024-01-06" } } })) == "6,7,8")
                assert(ns(db.query(T, { where = { user = "u1", created_at = { "<", "2024-01-03" } } })) == "1,2")
                assert(ns(db.query(T, { where = { user = "u1", created_at = { between = { "2024-01-02", "2024-01-04" } } } }))
                  == "2,3,4")
                assert(ns(db.query(T, { where = { user = "u2", created_at = { begins_with = "2024-01-1" } } })) == "10,11,12")
                assert(ns(db.query(T, { where = { user = "u1" }, filter = { status = "active" } })) == "2,4,6,8")
                assert(ns(db.query(T, { where = { user = "u1" }, filter = { ttl = { exists = true }, status = { "<>", "active" } } }))
                  == "1,3")
                assert(ns(db.query(T, { where = { user = "u1" }, filter = { tags = { contains = "red" } } })) == "3")
                assert(ns(db.query(T, { where = { user = "u1" }, filter = { n = { ">", 6 } } })) == "7,8")
                assert(ns(db.query(T, { where = { user = "u1" }, descending = true, limit = 3 })) == "8,7,6")
                assert(ns(db.query(T, { index = "gsi-status", where = { status = "active", created_at = { ">", "2024-01-07" } },
                  consistent = false })) == "8,10,12")
                assert(ns(db.query(T, { index = "gsi-status", where = { status = "closed" }, descending = true, page_size = 2 }))
                  == "11,9,7,5,3,1")
                assert(db.count(T, { where = { user = "u1" }, filter = { status = "active" } }) == 4)
                assert(db.count(T, { index = "gsi-status", where = { status = "closed" } }) == 6)
                return db.count(T), #db.scan(T, { limit = 5 }), #db.scan(T, { filter = { user = "u2" } })
                """, arguments: [table])
            #expect(results == [.integer(12), .integer(5), .integer(4)])
        }
    }

    @Test func parallelScanMergesSegments() async throws {
        try await withSeededTable { client, requests, table in
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local seen, count = {}, 0
                for _, item in ipairs(sentinel.db.scan(T, { segments = 4, limit = 1000 })) do
                  assert(not seen[item.n]); seen[item.n] = true; count = count + 1
                end
                return count, sentinel.db.count(T, { segments = 3, filter = { status = "active" } })
                """, arguments: [table])
            #expect(results == [.integer(12), .integer(6)])
            #expect(requests.count("Scan") >= 7)
        }
    }

    @Test func eachFetchesPagesOnlyWhenTheLoopNeedsThem() async throws {
        try await withSeededTable { client, requests, table in
            let all = try await LocalData.run(
                client,
                """
                local T = ...
                local n = 0
                for item in sentinel.db.each(T, { page_size = 5 }) do n = n + 1 end
                return n
                """, arguments: [table])
            #expect(all == [.integer(12)])
            #expect(requests.count("Scan") >= 3)
            requests.reset()
            let first = try await LocalData.run(
                client,
                """
                local T = ...
                for item in sentinel.db.each(T, { where = { user = "u1" }, page_size = 2 }) do
                  return item.n
                end
                """, arguments: [table])
            #expect(first == [.integer(1)])
            #expect(requests.count("Query") == 1)
            requests.reset()
            let limited = try await LocalData.run(
                client,
                """
                local T = ...
                local n = 0
                for item in sentinel.db.each(T, { where = { user = "u1" }, page_size = 3, limit = 4, descending = true }) do
                  n = n + 1
                  assert(item.n == 9 - n)
                end
                return n
                """, arguments: [table])
            #expect(limited == [.integer(4)])
            #expect(requests.count("Query") == 2)
        }
    }

    @Test func eachReadsLongStreamsInPagesOfAtMost2500Items() async throws {
        try await LocalData.withClient { client, requests in
            let table = LocalData.uniqueName("stream")
            try await LocalData.createTable(client, table)
            // 2,600 small items fit one 1 MB page; `each` still asks for at most 2,500 at a time.
            let counted = try await LocalData.run(
                client,
                """
                local T = ...
                local items = {}
                for i = 1, 2600 do items[i] = { id = "i" .. i } end
                sentinel.db.put_all(T, items)
                local n = 0
                for _ in sentinel.db.each(T) do n = n + 1 end
                return n
                """, arguments: [table])
            #expect(counted == [.integer(2600)])
            #expect(requests.count("Scan") == 2)
        }
    }

    @Test func batchesBeyondDynamoDBsLimits() async throws {
        try await LocalData.withClient { client, requests in
            let table = LocalData.uniqueName("batch")
            try await LocalData.createTable(client, table)
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local items, keys = {}, {}
                for i = 1, 130 do items[i] = { id = ("k%03d"):format(i), n = i } end
                assert(sentinel.db.put_all(T, items) == 130)
                for i = 135, 1, -1 do keys[#keys + 1] = { id = ("k%03d"):format(i) } end
                local got = sentinel.db.get_all(T, keys)
                for i, item in ipairs(got) do assert(item.n == 131 - i, "in the order of the keys") end
                return #got
                """, arguments: [table])
            #expect(results == [.integer(130)])
            #expect(requests.count("BatchWriteItem") >= 6)
            #expect(requests.count("BatchGetItem") >= 2)
        }
    }

    @Test func interruptingALongEachLoopStopsPromptly() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("interrupt")
            try await LocalData.createTable(client, table)
            _ = try await LocalData.run(
                client,
                """
                local items = {}
                for i = 1, 40 do items[i] = { id = tostring(i) } end
                sentinel.db.put_all(..., items)
                """, arguments: [table])
            let error = try await onScriptThread { () -> LuaError? in
                let state = try LuaState()
                try SentinelModule.install(into: state, services: SentinelServices(dynamoDB: { client }))
                let handle = state.interruptHandle
                Thread.detachNewThread {
                    Thread.sleep(forTimeInterval: 0.3)
                    handle.interrupt()
                }
                do {
                    _ = try state.run(
                        "while true do for item in sentinel.db.each(..., { page_size = 1 }) do end end",
                        name: "loop.lua", arguments: [.text(table)])
                    return nil
                } catch let error as LuaError {
                    return error
                }
            }
            // The loop never ends by itself: an error at all is the interrupt having stopped it.
            #expect(error != nil)
            // Whether the loop was in Lua or waiting for a page, the stop is the interrupt, in its words.
            #expect(error?.kind == .interrupted, "\(error?.message ?? "")")
            #expect(error?.message.hasSuffix("interrupted!") == true, "\(error?.message ?? "")")
        }
    }
}

import DynamoDB
import Foundation
import Lua
import Synchronization
import Testing

@testable import SentinelScript

/// The correctness gaps of issue #17's review, each against moto_server and checked with boto3.
@Suite struct DataGapTests {
    @Test func putAllWritesTheLastItemOfEachKeyOnce() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("dupes")
            try await LocalData.createTable(client, table)
            // 40 items of 20 keys, duplicates in different chunks of 25: DynamoDB refuses a batch naming
            // a key twice, so before the fix the first chunk was written and the call failed.
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local items = {}
                for i = 1, 40 do items[i] = { id = "k" .. (i % 20), n = i } end
                items[41] = { id = "k3", n = 41 }
                items[42] = { id = "k4", n = 42 }
                items[43] = { id = "k4", n = 43 }
                return sentinel.db.put_all(T, items)
                """, arguments: [table])
            #expect(results == [.integer(20)])
            let seen = try Boto3.run(
                """
                items = client.scan(TableName=table, ConsistentRead=True)["Items"]
                print(json.dumps({i["id"]["S"]: int(i["n"]["N"]) for i in items}))
                """, table: table)
            var expected: [String: Int] = [:]
            for i in 1...40 { expected["k\(i % 20)"] = i }
            expected["k3"] = 41
            expected["k4"] = 43
            #expect(seen as? [String: Int] == expected)
        }
    }

    @Test func numberKeysAreMatchedByValue() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("numkeys")
            try await LocalData.createTable(client, table, numberKeys: ["id"])
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local db = sentinel.db
                db.put(T, { id = 2^3, v = "eight" })
                db.put(T, { id = 1, v = "one" })
                db.put(T, { id = 0.5, v = "half" })
                -- 2^3 is the float 8.0: sent as N "8", matched against the N "8" DynamoDB answers with.
                local eight = db.get_all(T, { { id = 2^3 } })
                -- 1, 1.0 and "1.00" are one key to DynamoDB, which refuses a batch naming a key twice.
                local ones = db.get_all(T, { { id = 1 }, { id = 1.0 }, { id = sentinel.number("1.00") }, { id = 5E-1 } })
                -- put_all: two spellings of one key are one item, the last.
                assert(db.put_all(T, { { id = 7, v = "a" }, { id = 7.0, v = "b" } }) == 1)
                return #eight, eight[1].v, #ones, ones[1].v, ones[2].v, db.get(T, { id = 7 }).v
                """, arguments: [table])
            #expect(
                results == [
                    .integer(1), .text("eight"), .integer(2), .text("one"), .text("half"), .text("b"),
                ])
            // boto3 finds the float-written key under DynamoDB's own form.
            let eight = try Boto3.run(
                """
                item = client.get_item(TableName=table, Key={"id": {"N": "8"}}, ConsistentRead=True)["Item"]
                print(json.dumps(item["v"]["S"]))
                """, table: table)
            #expect(eight as? String == "eight")
        }
    }

    @Test func namesThatDifferOnlyInNormalisationAreTwoAttributes() async throws {
        // Gap 5: "café" precomposed and "café" with a combining accent are equal Swift Strings but two
        // names to DynamoDB. Every path a name takes (item, map key, update path, placeholder,
        // condition, filter) must keep them apart; run plainly and in a coroutine.
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("names")
            try await LocalData.createTable(client, table)
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local db = sentinel.db
                local composed, decomposed = "caf\\u{E9}", "cafe\\u{301}"
                assert(composed ~= decomposed)
                local function exercise(id)
                  assert(db.put(T, { id = id, [composed] = "one", [decomposed] = "two",
                                     m = { [composed] = 1, [decomposed] = 2 } }))
                  -- One update names both spellings: two placeholders, two paths that do not overlap.
                  assert(db.update(T, { id = id }, { [decomposed] = "three" }, {
                    condition = { [composed] = "one" },
                    add = { { { "m", composed }, 10 }, { { "m", decomposed }, 20 } },
                  }))
                  local item = db.get(T, { id = id })
                  local found = db.scan(T, { filter = { [decomposed] = "three", id = id } })
                  local names = 0
                  for _ in pairs(item) do names = names + 1 end
                  return item[composed], item[decomposed], item.m[composed], item.m[decomposed], names,
                    #found
                end
                local plain = { exercise("plain") }
                local inside = { coroutine.wrap(exercise)("coroutine") }
                for i = 1, #plain do assert(plain[i] == inside[i], i) end
                -- As values: two keys (put_all keeps both, get_all finds both), two set elements.
                assert(db.put_all(T, { { id = composed, v = 1 }, { id = decomposed, v = 2 } }) == 2)
                local both = db.get_all(T, { { id = composed }, { id = decomposed } })
                assert(#both == 2 and both[1].v + both[2].v == 3, #both)
                assert(db.put(T, { id = "set", tags = sentinel.set { composed, decomposed } }))
                assert(#db.get(T, { id = "set" }).tags == 2)
                return table.unpack(plain)
                """, arguments: [table])
            #expect(
                results == [
                    .text("one"), .text("three"), .integer(11), .integer(22), .integer(4), .integer(1),
                ])
            // boto3 sees two attributes and two map keys with their own values.
            let seen = try Boto3.run(
                """
                item = client.get_item(TableName=table, Key={"id": {"S": "plain"}}, ConsistentRead=True)["Item"]
                print(json.dumps({
                    "top": sorted(k.encode().hex() for k in item if k.startswith("caf")),
                    "values": {k.encode().hex(): v["S"] for k, v in item.items() if k.startswith("caf")},
                    "m": {k.encode().hex(): v["N"] for k, v in item["m"]["M"].items()},
                }))
                """, table: table)
            let composedHex = "636166c3a9"
            let decomposedHex = "63616665cc81"
            let object = seen as? [String: Any]
            #expect(object?["top"] as? [String] == [decomposedHex, composedHex])
            #expect(object?["values"] as? [String: String] == [composedHex: "one", decomposedHex: "three"])
            #expect(object?["m"] as? [String: String] == [composedHex: "11", decomposedHex: "22"])
        }
    }

    @Test func aFilterDoesNotMakeLimitThePageSize() async throws {
        try await LocalData.withClient { client, requests in
            let table = LocalData.uniqueName("filterlimit")
            try await LocalData.createTable(client, table, sortKey: "at")
            _ = try await LocalData.run(
                client,
                """
                local T = ...
                local items = {}
                for i = 1, 30 do items[i] = { id = "p", at = ("%02d"):format(i), rare = i == 30 } end
                sentinel.db.put_all(T, items)
                """, arguments: [table])
            requests.reset()
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local db = sentinel.db
                local scanned = db.scan(T, { filter = { rare = true }, limit = 1 })
                local queried = db.query(T, { where = { id = "p" }, filter = { rare = true }, limit = 1 })
                local looped = 0
                for item in db.each(T, { filter = { rare = true }, limit = 1 }) do looped = looped + 1 end
                return #scanned, scanned[1].at, #queried, looped
                """, arguments: [table])
            #expect(results == [.integer(1), .text("30"), .integer(1), .integer(1)])
            // One request each: with DynamoDB's Limit = 1, each request evaluated one of the 30 items.
            #expect(requests.count("Scan") == 2)
            #expect(requests.count("Query") == 1)
        }
    }
}

/// Parallel scans: a bounded number of segments at once, and a bound on `segments`.
@Suite struct ParallelScanBoundTests {
    /// Segments running at once, and the most seen.
    final class Gauge: Sendable {
        private let state = Mutex<(now: Int, most: Int, finished: Int)>((0, 0, 0))
        func start() {
            state.withLock {
                $0.now += 1
                $0.most = max($0.most, $0.now)
            }
        }
        func finish() {
            state.withLock {
                $0.now -= 1
                $0.finished += 1
            }
        }
        var now: Int { state.withLock { $0.now } }
        var most: Int { state.withLock { $0.most } }
        var finished: Int { state.withLock { $0.finished } }
    }

    @Test func atMostEightSegmentsRunAtOnce() async throws {
        try await LocalData.withClient { client, _ in
            let segments = client.parallelScan(ScanRequest(tableName: "unused"), totalSegments: 64)
            let gauge = Gauge()
            let total = segments.count
            let bound = ParallelScan.concurrentSegments
            let outputs = try await ParallelScan.eachSegment(segments) {
                _ async throws(DynamoDBError) -> Int in
                gauge.start()
                // Wait until as many run as may run (so that an unbounded runner shows more), then finish.
                while gauge.now < min(bound, total - gauge.finished) { await Task.yield() }
                for _ in 0..<10 { await Task.yield() }
                gauge.finish()
                return 1
            }
            #expect(outputs.count == 64)
            #expect(gauge.most == bound)
        }
    }

    @Test func absurdSegmentCountsAreRefusedNamingTheBound() async throws {
        try await LocalData.withClient { client, _ in
            let error = try await LocalData.error(client, "sentinel.db.scan('t', { segments = 1001 })")
            #expect(
                error?.message.contains(
                    "option 'segments' of sentinel.db.scan must be a whole number from 1 to 1000, got 1001")
                    == true,
                "\(String(describing: error?.message))")
            #expect(error?.message.contains("8 segments at once") == true)
        }
    }
}

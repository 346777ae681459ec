import DynamoDB
import Lua
import Testing

/// DynamoDB's 400 KB item size limit from a script: refused before any request, naming the item's key,
/// directly and from a coroutine; an item under moto's own limit is written.
@Suite struct ItemSizeLimitTests {
    @Test func anItemOverFourHundredKilobytesIsRefusedNamingItsKeyAndNothingIsWritten() async throws {
        try await LocalData.withClient { client, requests in
            let table = LocalData.uniqueName("item-size")
            try await LocalData.createTable(client, table)
            requests.reset()
            // 409,601 bytes: "id" + "x" + "data" + 409,594 bytes of data.
            let results = try await LocalData.run(
                client,
                """
                local table = ...
                local data = string.rep("a", 409601 - 3 - 4)
                local ok, message = pcall(sentinel.db.put, table, { id = "x", data = data })
                local cok, cmessage = coroutine.wrap(function()
                  return pcall(sentinel.db.put_all, table, { { id = "y", data = "small" }, { id = "z", data = data } })
                end)()
                return ok, message, cok, cmessage, sentinel.db.get(table, { id = "x" }), sentinel.db.get(table, { id = "y" })
                """, name: "size.lua", arguments: [table])
            #expect(results[0] == false)
            #expect(
                results[1].stringValue
                    == "PutItem on table '\(table)': item {id = \"x\"} is 409,601 bytes; DynamoDB "
                    + "refuses items over 400 KB (409,600 bytes); nothing was sent")
            #expect(results[2] == false)
            #expect(
                results[3].stringValue?.contains("item {id = \"z\"} is 409,601 bytes") == true,
                "\(results[3])")
            #expect(results[4] == .nil)
            #expect(results[5] == .nil, "put_all wrote part of a batch with an oversized item")
            #expect(requests.count("PutItem") == 0)
            #expect(requests.count("BatchWriteItem") == 0)
        }
    }

    /// moto refuses items over 405,000 bytes by its own count (DynamoDB's limit is 409,600): 400,000
    /// bytes are under both, and are written and read back whole.
    @Test func anItemUnderTheLimitIsWritten() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("item-size")
            try await LocalData.createTable(client, table)
            let results = try await LocalData.run(
                client,
                """
                local table = ...
                local data = string.rep("a", 400000 - 3 - 4)
                coroutine.wrap(function() sentinel.db.put(table, { id = "x", data = data }) end)()
                return #sentinel.db.get(table, { id = "x" }).data
                """, name: "size.lua", arguments: [table])
            #expect(results.first == .integer(400_000 - 7))
        }
    }
}

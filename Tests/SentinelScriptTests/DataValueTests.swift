import DynamoDB
import Foundation
import JSON
import Lua
import Testing

/// Values through `sentinel.db` against moto_server: every type written from Lua, read back, written
/// again unchanged; boto3 as an independent client both ways.
@Suite struct DataValueTests {
    static let everyType = #"""
        local T = ...
        local db = sentinel.db
        db.put(T, {
          id = "all", s = "héllo", i = 42, neg = -7, f = 0.5, maxint = math.maxinteger,
          big = sentinel.number("12345678901234567890123456789012345678"),
          frac = sentinel.number("12345678901234567890.5"),
          bin = sentinel.binary("\0\255\0\1"),
          ss = sentinel.set { "a", "b" },
          ns = sentinel.set { 1, 2.5, sentinel.number("99999999999999999999999999999999999999") },
          bs = sentinel.set { sentinel.binary("\0"), sentinel.binary("\255\254") },
          nul = sentinel.null, yes = true, no = false,
          nested = { list = { 1, "two", { deep = sentinel.null } }, map = { a = { b = { c = "d" } } } },
          empty_list = sentinel.list {}, empty_map = {}, also_map = sentinel.map {},
          status = "active", user = "u", ttl = 3,
        })
        local got = assert(db.get(T, { id = "all" }))
        assert(got.s == "héllo" and got.yes == true and got.no == false)
        assert(got.i == 42 and math.type(got.i) == "integer" and got.neg == -7)
        assert(got.f == 0.5 and math.type(got.f) == "float")
        assert(got.maxint == math.maxinteger and math.type(got.maxint) == "integer")
        assert(tostring(got.big) == "12345678901234567890123456789012345678", tostring(got.big))
        assert(got.big == sentinel.number("12345678901234567890123456789012345678"))
        assert(got.big > 1e37 and got.big < 1e38 and not (got.big < 0) and got.big >= 5)
        assert(tostring(got.frac) == "12345678901234567890.5")
        assert(got.frac > sentinel.number("12345678901234567890.4") and got.frac < math.huge)
        assert(got.bin:bytes() == "\0\255\0\1" and #got.bin == 4 and got.bin == sentinel.binary("\0\255\0\1"))
        assert(#got.ss == 2 and got.ss == sentinel.set { "b", "a" })
        assert(#got.ns == 3 and #got.bs == 2 and got.bs:values()[1]:bytes() ~= nil)
        assert(got.nul == sentinel.null and tostring(got.nul) == "sentinel.null")
        assert(got.nested.list[2] == "two" and got.nested.list[3].deep == sentinel.null)
        assert(got.nested.map.a.b.c == "d")
        assert(next(got.empty_list) == nil and next(got.empty_map) == nil)
        assert(got.status == "active" and got.user == "u" and got.ttl == 3)
        got.id = "copy"
        db.put(T, got)
        return getmetatable(got.big).__name, getmetatable(got.bin).__name, getmetatable(got.ss).__name,
          getmetatable(got.nul).__name
        """#

    @Test func everyTypeRoundTripsByteForByte() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("values")
            try await LocalData.createTable(client, table)
            let names = try await LocalData.run(client, Self.everyType, arguments: [table])
            #expect(names == ["sentinel.number", "sentinel.binary", "sentinel.set", "sentinel.null"])
            var original = try #require(try await client.getItem(tableName: table, key: ["id": "all"]))
            var copy = try #require(try await client.getItem(tableName: table, key: ["id": "copy"]))
            original["id"] = nil
            copy["id"] = nil
            let writer = JSONWriter(style: .compact)
            #expect(
                writer.bytes(from: AttributeValue.json(copy))
                    == writer.bytes(from: AttributeValue.json(original)))
            #expect(original["empty_list"] == .list([]))
            #expect(original["empty_map"] == .map([:]) && original["also_map"] == .map([:]))
            #expect(original["big"] == .number(AttributeNumber("12345678901234567890123456789012345678")!))
            #expect(original["bin"] == .binary([0, 255, 0, 1]))
            #expect(original["f"] == .number(AttributeNumber("0.5")!))
        }
    }

    @Test func missingItemIsNilAndUpdateAndDeleteReturnItems() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("single")
            try await LocalData.createTable(client, table)
            let results = try await LocalData.run(
                client,
                """
                local T = ...
                local db = sentinel.db
                assert(db.get(T, { id = "nope" }) == nil)
                db.put(T, { id = "a", status = "new", user = "x", ttl = 1 })
                local after = db.update(T, { id = "a" }, { status = "done", n = 2 }, { remove = { "user" } })
                assert(after.status == "done" and after.n == 2 and after.user == nil and after.ttl == 1)
                local old = db.delete(T, { id = "a" })
                assert(old.status == "done")
                assert(db.delete(T, { id = "a" }) == nil)
                return db.get(T, { id = "a" }, { consistent = true }), #db.tables() > 0, db.describe(T).TableName
                """, arguments: [table])
            #expect(results == [.nil, true, .text(table)])
        }
    }

    @Test func mistakesNameTheLineAndTheFieldPath() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("errors")
            try await LocalData.createTable(client, table)
            let cases: [(String, String)] = [
                (
                    "sentinel.db.put(..., { id = 'x', tags = { 'a', 0/0 } })",
                    "item.tags[2]: nan cannot be stored"
                ),
                (
                    "sentinel.db.put(..., { id = 'x', tags = { 'a', 1/0 } })",
                    "item.tags[2]: inf cannot be stored"
                ),
                (
                    "sentinel.db.put(..., { id = '\\255' })",
                    "e.lua:1: item.id: string is not valid UTF-8; use sentinel.binary(s) to store bytes"
                ),
                (
                    "sentinel.db.put(..., { id = 'x', m = { deep = { 1, 2, x = 3 } } })",
                    "e.lua:1: item.m.deep: attribute names must be strings, found key 1"
                ),
                (
                    "sentinel.db.put(..., { id = 'x', f = print })",
                    "e.lua:1: item.f: a function cannot be stored"
                ),
                ("local s = sentinel.set {}", "e.lua:1: set: a set cannot be empty"),
                (
                    "sentinel.db.put(..., { 1, 2 })",
                    "e.lua:1: item: table of attribute names to values expected, got a list"
                ),
                (
                    "sentinel.db.get_all(..., { { id = 'a' }, 'x' })",
                    "e.lua:1: keys[2]: table of attribute names to values expected, got string"
                ),
                ("local s = sentinel.set { 'a', 1 }", "e.lua:1: set[2]: a set holds one type"),
                ("local s = sentinel.set { 'a', 'a' }", "e.lua:1: set[2]: duplicate set element"),
                ("local n = sentinel.number('1.2.3')", "e.lua:1: bad argument #1 to 'sentinel.number'"),
                (
                    "sentinel.db.query(..., { wher = {} })",
                    "e.lua:1: unknown option 'wher' in sentinel.db.query (did you mean 'where'?)"
                ),
                (
                    "sentinel.db.query(..., { where = { other = 1 } })",
                    "e.lua:1: where must give the partition key 'id' of table"
                ),
                (
                    "sentinel.db.query(..., { where = { id = 'a', other = 1 } })",
                    "e.lua:1: where.other: 'other' is not a key of table"
                ),
                (
                    "sentinel.db.query(..., { where = { id = { '>', 'a' } } })",
                    "e.lua:1: where.id: the partition key needs a value to equal"
                ),
                (
                    "sentinel.db.scan(..., { filter = { n = { betwen = { 1, 2 } } } })",
                    "e.lua:1: filter.n: unknown condition 'betwen' (did you mean 'between'?)"
                ),
                ("sentinel.db.query(..., { index = 'nope', where = { id = 1 } })", "has no index 'nope'"),
                (
                    "sentinel.db.scan(..., { limit = 0 })",
                    "e.lua:1: option 'limit' of sentinel.db.scan must be a whole number from 1 to 2147483647, got 0"
                ),
                ("sentinel.db.update(..., { id = 'x' })", "e.lua:1: bad argument #3 to 'sentinel.db.update'"),
            ]
            for (script, expected) in cases {
                let error = try await LocalData.error(client, script, name: "e.lua", arguments: [table])
                #expect(
                    error?.message.contains(expected) == true, "\(script): \(error?.message ?? "no error")")
            }
        }
    }

    @Test func withoutAWSTheFunctionsSaySo() throws {
        let state = try sentinelState()
        let error = luaError { try state.run("\nsentinel.db.get('t', { id = 'x' })", name: "n.lua") }
        #expect(
            error?.message == "n.lua:2: sentinel.db.get needs AWS access, which this script was not given")
        // The value constructors need no AWS.
        let printed = try state.run(
            "return tostring(sentinel.number('0.10')), tostring(sentinel.binary('\\0\\1')), #sentinel.set { 1, 2 }"
        )
        #expect(printed == [.text("0.10"), .text("AAE="), .integer(2)])
    }

    /// `sentinel.number` takes what DynamoDB stores and nothing more: the range, not only the digits.
    @Test func sentinelNumberRefusesWhatDynamoDBRefuses() throws {
        let state = try sentinelState()
        let cases = [
            (
                "'1e126'",
                "not a number DynamoDB can store: larger in magnitude than DynamoDB's largest number"
            ),
            ("'-1E+126'", "not a number DynamoDB can store: larger in magnitude"),
            (
                "'1e-131'",
                "not a number DynamoDB can store: smaller in magnitude than DynamoDB's smallest number, 1E-130"
            ),
            ("'1e400'", "not a number DynamoDB can store: larger in magnitude"),
            ("1e200", "1e+200 cannot be stored: larger in magnitude"),
            ("1e-200", "1e-200 cannot be stored: smaller in magnitude"),
        ]
        for (argument, expected) in cases {
            let error = luaError { try state.run("return sentinel.number(\(argument))", name: "n.lua") }
            #expect(
                error?.message.hasPrefix("n.lua:1: ") == true, "\(argument): \(error?.message ?? "no error")")
            #expect(error?.message.contains(expected) == true, "\(argument): \(error?.message ?? "no error")")
        }
        let edges = try state.run(
            "return tostring(sentinel.number('9.9999999999999999999999999999999999999E+125')), "
                + "tostring(sentinel.number('-1E-130'))")
        #expect(edges == [.text("9.9999999999999999999999999999999999999E+125"), .text("-1E-130")])
    }

    @Test func setsPrintTheirTypeAndFirstElements() throws {
        let state = try sentinelState()
        let printed = try state.run(
            """
            local many = {}
            for i = 1, 20 do many[i] = i end
            return tostring(sentinel.set { "ops", 'say "hi"\\n' }), tostring(sentinel.set { 2.5 }),
              tostring(sentinel.set(many))
            """)
        let texts = printed.compactMap(\.stringValue)
        #expect(texts.count == 3)
        #expect(texts.first?.hasPrefix("sentinel.set SS{") == true)
        #expect(texts.first?.contains(#""say \"hi\"\n""#) == true)
        #expect(texts.first?.contains(#""ops""#) == true)
        #expect(texts.dropFirst().first == "sentinel.set NS{2.5}")
        #expect(texts.last?.hasSuffix(", ... (20 elements)}") == true)
        #expect(texts.last?.hasPrefix("sentinel.set NS{") == true)
    }
}

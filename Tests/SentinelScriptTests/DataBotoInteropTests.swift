import DynamoDB
import Foundation
import TestSupport
import Testing

/// Items written by boto3 read by Lua scripts, and the other way round, through moto_server.
@Suite struct DataBotoInteropTests {
    static let script = #"""
        import json, sys
        from decimal import Decimal
        import boto3

        endpoint, table, action = sys.argv[1:4]
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")

        def get(key):
            return client.get_item(TableName=table, Key={"id": {"S": key}}, ConsistentRead=True)["Item"]

        def without_id(item):
            return {k: v for k, v in item.items() if k != "id"}

        def canonical(value):
            (kind, inner), = value.items()
            if kind in ("SS", "NS", "BS"):
                return {kind: sorted(inner)}
            if kind == "M":
                return {"M": {k: canonical(v) for k, v in inner.items()}}
            if kind == "L":
                return {"L": [canonical(v) for v in inner]}
            return value

        if action == "write":
            client.put_item(TableName=table, Item={
                "id": {"S": "theirs"},
                "big": {"N": "-1234567890123456789012345678.9012345678"},
                "bin": {"B": b"\x00\xff\x00\x01"},
                "ss": {"SS": ["x", "y"]},
                "ns": {"NS": ["1", "99999999999999999999999999999999999999"]},
                "bs": {"BS": [b"\x00", b"\xff\xfe"]},
                "nul": {"NULL": True}, "flag": {"BOOL": False},
                "m": {"M": {"list": {"L": [{"S": "a"}, {"N": "2"}, {"M": {"deep": {"NULL": True}}}]},
                            "empty": {"L": []}, "none": {"M": {}}}},
            })
            print("{}")
        else:
            theirs, copy, ours = get("theirs"), get("copy"), get("ours")
            same = {k: canonical(v) for k, v in without_id(theirs).items()} == \
                   {k: canonical(v) for k, v in without_id(copy).items()}
            print(json.dumps({"same": same, "big": str(Decimal(ours["big"]["N"])),
                              "bin": ours["bin"]["B"].hex(), "ss": sorted(ours["ss"]["SS"]),
                              "nul": ours["nul"], "f": ours["f"]["N"], "list": ours["list"]}))
        """#

    static func boto(_ action: String, table: String) throws -> [String: Any] {
        let result = try ChildProcess.python(script, arguments: [try LocalData.endpoint(), table, action])
        guard result.status == 0 else { throw BotoFailure(description: result.errors) }
        return try JSONSerialization.jsonObject(with: result.output) as? [String: Any] ?? [:]
    }

    struct BotoFailure: Error, CustomStringConvertible {
        let description: String
    }

    @Test func luaReadsBoto3ItemsAndBoto3ReadsLuaItems() async throws {
        try await LocalData.withClient { client, _ in
            let table = LocalData.uniqueName("boto")
            try await LocalData.createTable(client, table)
            _ = try Self.boto("write", table: table)
            let results = try await LocalData.run(
                client,
                #"""
                local T = ...
                local db = sentinel.db
                local theirs = assert(db.get(T, { id = "theirs" }))
                assert(tostring(theirs.big) == "-1234567890123456789012345678.9012345678")
                assert(theirs.big < -1e27)
                assert(theirs.bin:bytes() == "\0\255\0\1")
                assert(#theirs.ss == 2 and theirs.ss == sentinel.set { "y", "x" })
                assert(theirs.ns == sentinel.set { 1, sentinel.number("99999999999999999999999999999999999999") })
                assert(#theirs.bs == 2 and theirs.nul == sentinel.null and theirs.flag == false)
                assert(theirs.m.list[1] == "a" and theirs.m.list[2] == 2 and theirs.m.list[3].deep == sentinel.null)
                assert(next(theirs.m.empty) == nil and next(theirs.m.none) == nil)
                theirs.id = "copy"
                db.put(T, theirs)
                db.put(T, {
                  id = "ours", big = sentinel.number("12345678901234567890123456789012345678"),
                  bin = sentinel.binary("\0\255"), ss = sentinel.set { "b", "a" }, nul = sentinel.null,
                  f = 0.25, list = { 1, "x" },
                })
                return math.type(theirs.m.list[2])
                """#, arguments: [table])
            #expect(results == [.text("integer")])
            let answer = try Self.boto("read", table: table)
            #expect(answer["same"] as? Bool == true)
            #expect(answer["big"] as? String == "12345678901234567890123456789012345678")
            #expect(answer["bin"] as? String == "00ff")
            #expect(answer["ss"] as? [String] == ["a", "b"])
            #expect(answer["nul"] as? [String: Bool] == ["NULL": true])
            #expect(answer["f"] as? String == "0.25")
            let list = answer["list"] as? [String: [[String: String]]]
            #expect(list == ["L": [["N": "1"], ["S": "x"]]])
        }
    }
}

import DynamoDB
import DynamoDBTestSupport
import Foundation
import JSON
import TestSupport
import Testing

/// Values written by this client and read by boto3, and the other way round, through moto_server:
/// the wire format must match an independent implementation exactly.
@Suite struct BotoInteropTests {
    static let script = #"""
        import base64, json, sys
        from decimal import Decimal
        import boto3
        from boto3.dynamodb.types import TypeDeserializer

        endpoint, table, action = sys.argv[1:4]
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")

        def plain(value):
            (kind, inner), = value.items()
            if kind == "B":
                return {"B": inner.hex()}
            if kind == "BS":
                return {"BS": sorted(b.hex() for b in inner)}
            if kind in ("SS", "NS"):
                return {kind: sorted(inner)}
            if kind == "M":
                return {"M": {k: plain(v) for k, v in inner.items()}}
            if kind == "L":
                return {"L": [plain(v) for v in inner]}
            return {kind: inner}

        if action == "read":
            item = client.get_item(TableName=table, Key={"id": {"S": "ours"}}, ConsistentRead=True)["Item"]
            number = TypeDeserializer().deserialize(item["big"])
            print(json.dumps({"item": {k: plain(v) for k, v in item.items()},
                              "big_decimal": str(number),
                              "exact": number == Decimal("12345678901234567890123456789012345678")}))
        else:
            client.put_item(TableName=table, Item={
                "id": {"S": "theirs"},
                "big": {"N": "-1234567890123456789012345678.9012345678"},
                "bin": {"B": b"\x00\xff\x00\x01"},
                "ss": {"SS": ["x", "y"]},
                "ns": {"NS": ["1", "99999999999999999999999999999999999999"]},
                "bs": {"BS": [b"\x00", b"\xff\xfe"]},
                "nul": {"NULL": True},
                "flag": {"BOOL": False},
                "m": {"M": {"list": {"L": [{"S": "a"}, {"N": "2"}, {"M": {"deep": {"NULL": True}}}]}}},
            })
            print("{}")
        """#

    /// Runs the boto3 script with fake credentials and returns its JSON output.
    static func boto(_ action: String, table: String) throws -> [String: Any] {
        let result = try ChildProcess.python(
            script, arguments: [try LocalDynamoDB.endpoint(), table, action])
        guard result.status == 0 else { throw ScriptFailure("boto3 script failed: \(result.errors)") }
        return try JSONSerialization.jsonObject(with: result.output) as? [String: Any] ?? [:]
    }

    @Test func boto3ReadsWhatWeWrite() async throws {
        try await LocalDynamoDB.withClient { client in
            let name = LocalDynamoDB.uniqueName("interop-out")
            _ = try await client.createTable(LocalDynamoDB.createRequest(name))
            try await client.putItem(
                tableName: name,
                item: [
                    "id": "ours", "big": .number(AttributeNumber("12345678901234567890123456789012345678")!),
                    "bin": .binary([0, 255, 0, 1]), "ss": .stringSet(["b", "a"]),
                    "ns": .numberSet([10, AttributeNumber("-0.5")!]), "bs": .binarySet([[0xFF], [0, 0]]),
                    "nul": .null, "flag": true,
                    "m": .map(["list": .list(["x", 3, .map(["deep": .null])])]),
                ])
            let answer = try Self.boto("read", table: name)
            #expect(answer["exact"] as? Bool == true)
            #expect(answer["big_decimal"] as? String == "12345678901234567890123456789012345678")
            let expected: [String: Any] = [
                "id": ["S": "ours"], "big": ["N": "12345678901234567890123456789012345678"],
                "bin": ["B": "00ff0001"], "ss": ["SS": ["a", "b"]], "ns": ["NS": ["-0.5", "10"]],
                "bs": ["BS": ["0000", "ff"]], "nul": ["NULL": true], "flag": ["BOOL": true],
                "m": ["M": ["list": ["L": [["S": "x"], ["N": "3"], ["M": ["deep": ["NULL": true]]]]]]],
            ]
            #expect(NSDictionary(dictionary: answer["item"] as? [String: Any] ?? [:]).isEqual(to: expected))
            try await client.deleteTable(name)
        }
    }

    @Test func weReadWhatBoto3Writes() async throws {
        try await LocalDynamoDB.withClient { client in
            let name = LocalDynamoDB.uniqueName("interop-in")
            _ = try await client.createTable(LocalDynamoDB.createRequest(name))
            _ = try Self.boto("write", table: name)
            let item = try #require(try await client.getItem(tableName: name, key: ["id": "theirs"]))
            #expect(item["big"] == .number(AttributeNumber("-1234567890123456789012345678.9012345678")!))
            #expect(item["bin"] == .binary([0, 255, 0, 1]))
            guard case .stringSet(let strings)? = item["ss"], case .numberSet(let numbers)? = item["ns"],
                case .binarySet(let blobs)? = item["bs"]
            else {
                Issue.record("sets have the wrong types: \(item)")
                return
            }
            #expect(Set(strings) == ["x", "y"])
            #expect(Set(numbers.map(\.text)) == ["1", "99999999999999999999999999999999999999"])
            #expect(Set(blobs) == [[0], [0xFF, 0xFE]])
            #expect(item["nul"] == .null)
            #expect(item["flag"] == false)
            #expect(item["m"] == .map(["list": .list(["a", 2, .map(["deep": .null])])]))
            try await client.deleteTable(name)
        }
    }
}

/// A helper script that exited non-zero, with its standard error.
struct ScriptFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

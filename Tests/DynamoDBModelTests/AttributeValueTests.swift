import DynamoDBModel
import Foundation
import JSON
import Testing

@Suite struct AttributeValueTests {
    @Test func base64MatchesFoundationAndIsStrict() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base64.encode(bytes)
            #expect(text == Data(bytes).base64EncodedString())
            #expect(Base64.decode(text) == bytes)
        }
        for bad in ["A", "AB=", "A===", "AB=C", "ab c", "QQ==QQ==", "QR==", "QUI=x", "QUJ=", "****"] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
        #expect(Base64.decode("") == [])
    }

    @Test func namesAreComparedByTheirBytes() throws {
        // Issue #17 gap 5: two spellings of "café" are two attributes and two map keys.
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        let wire =
            #"{"\#(composed)":{"S":"one"},"\#(decomposed)":{"S":"two"},"m":{"M":{"\#(composed)":{"N":"1"},"\#(decomposed)":{"N":"2"}}}}"#
        let item = try AttributeValue.item(json: JSONValue(parsing: wire))
        #expect(item.count == 3)
        #expect(item[AttributeName(composed)] == "one")
        #expect(item[AttributeName(decomposed)] == "two")
        guard case .map(let map)? = item["m"] else {
            Issue.record("m is not a map")
            return
        }
        #expect(map[AttributeName(composed)] == 1)
        #expect(map[AttributeName(decomposed)] == 2)
        // Written with keys in byte order (e, U+0301 before U+00E9), as DynamoDB orders names.
        let written =
            #"{"\#(decomposed)":{"S":"two"},"\#(composed)":{"S":"one"},"m":{"M":{"\#(decomposed)":{"N":"2"},"\#(composed)":{"N":"1"}}}}"#
        #expect(AttributeValue.json(item).description == written)
        #expect(try AttributeValue.item(json: AttributeValue.json(item)) == item)
        // As values too: two key values, two set elements, as DynamoDB compares them.
        #expect(AttributeValue.string(composed) != .string(decomposed))
        #expect(Set<AttributeValue>([.string(composed), .string(decomposed)]).count == 2)
        #expect(AttributeValue.stringSet([composed]) != .stringSet([decomposed]))
        #expect(AttributeValue.stringSet([composed]) == .stringSet(["caf\u{E9}"]))
        #expect(AttributeValue.string("1") != .number(1))
    }

    @Test func numbersKeepTheirTextAndRejectTooManyDigits() {
        let long = "12345678901234567890123456789012345678"
        #expect(AttributeNumber(long)?.text == long)
        #expect(AttributeNumber("-0.000000000000000000000000000000000000000123")?.text != nil)
        #expect(AttributeNumber("1E+125") != nil)
        // Forty-four digits but one significant digit.
        #expect(AttributeNumber("10000000000000000000000000000000000000000000") != nil)
        #expect(AttributeNumber(long + "9") == nil)
        for bad in ["", "-", ".", "1e", "abc", "1.2.3", "0x10", " 1", "NaN", "1e99999"] {
            #expect(AttributeNumber(bad) == nil, "\(bad)")
        }
    }

    /// DynamoDB's range: zero, or a magnitude from 1E-130 to 38 nines times 10^88 (just under 10^126),
    /// however the text writes it.
    @Test func numbersOutsideDynamoDBsRangeAreRefusedWithTheReason() {
        let largest =
            "larger in magnitude than DynamoDB's largest number, 9.9999999999999999999999999999999999999E+125"
        let smallest = "smaller in magnitude than DynamoDB's smallest number, 1E-130"
        let cases: [(String, String?)] = [
            ("9.9999999999999999999999999999999999999E+125", nil),
            ("-9.9999999999999999999999999999999999999E125", nil),
            ("1E-130", nil), ("-0.1e-129", nil), ("10e-131", nil), ("0.00000000000001e-116", nil),
            ("0e9999", nil),
            ("0.0", nil), ("99999999999999999999999999999999999999" + String(repeating: "0", count: 88), nil),
            ("1e126", largest), ("-1E+126", largest), ("10e125", largest), ("1e400", largest),
            ("99999999999999999999999999999999999999" + String(repeating: "0", count: 89), largest),
            ("1e-131", smallest), ("0.1e-130", smallest), ("-0.00001e-126", smallest),
            ("1" + String(repeating: "1", count: 38), "more than 38 significant digits"),
            ("1.2.3", "not a decimal number"), ("", "not a decimal number"),
        ]
        for (text, problem) in cases {
            #expect(AttributeNumber.problem(text) == problem, "\(text)")
            #expect((AttributeNumber(text) == nil) == (problem != nil), "\(text)")
        }
    }

    @Test func canonicalNumbersAreDynamoDBsOwnForm() {
        let cases: [(String, String)] = [
            ("8.0", "8"), ("8", "8"), ("+8.00", "8"), ("0.8E1", "8"), ("1E+3", "1000"), ("-0.0", "0"),
            ("0", "0"), ("0.50", "0.5"), ("-012.3400", "-12.34"), ("1e-5", "0.00001"),
            ("123.45E-1", "12.345"),
            ("1.5E1", "15"), (".5", "0.5"), ("5.", "5"),
        ]
        for (text, canonical) in cases {
            #expect(AttributeNumber(text)?.canonical.text == canonical, "\(text)")
        }
        let key: Item = ["id": .number(AttributeNumber("1.0")!), "other": "x"]
        #expect(AttributeValue.canonicalKey(of: key, keyNames: ["id"]) == ["id": 1])
        #expect(AttributeValue.numberSet([AttributeNumber("2.0")!]).canonical == .numberSet([2]))
    }

    @Test func everyTypeRoundTripsThroughJSON() throws {
        let item: Item = [
            "s": "text", "n": .number(AttributeNumber("99999999999999999999999999999999999999")!),
            "b": .binary([0, 255, 1, 0]), "t": true, "z": .null,
            "m": .map(["inner": .list([1, "two", .map([:])])]), "ss": .stringSet(["a", "b"]),
            "ns": .numberSet([1, AttributeNumber("-2.5")!]), "bs": .binarySet([[0], [255, 0]]),
        ]
        let json = AttributeValue.json(item)
        #expect(
            json.description
                == #"{"b":{"B":"AP8BAA=="},"bs":{"BS":["AA==","/wA="]},"#
                + #""m":{"M":{"inner":{"L":[{"N":"1"},{"S":"two"},{"M":{}}]}}},"#
                + #""n":{"N":"99999999999999999999999999999999999999"},"ns":{"NS":["1","-2.5"]},"#
                + #""s":{"S":"text"},"ss":{"SS":["a","b"]},"t":{"BOOL":true},"z":{"NULL":true}}"#)
        let text = JSONWriter().string(from: json)
        #expect(try AttributeValue.item(json: try JSONParser().parse(text)) == item)
    }

    @Test func decodeErrorsNameThePath() throws {
        let cases: [(String, String)] = [
            (#"{"a":{"S":1}}"#, "Item.a: expected a string, found a number"),
            (
                #"{"a":{"M":{"b":{"L":[{"N":"1"},{"N":"x"}]}}}}"#,
                #"Item.a.b[1]: "x" is not a number DynamoDB can store: not a decimal number"#
            ),
            (#"{"a":{"B":"!!"}}"#, "Item.a: expected base64"),
            (#"{"a":{"S":"x","N":"1"}}"#, "Item.a: expected an attribute value with exactly one type key"),
            (#"{"a":{"Q":"x"}}"#, "Item.a: unknown attribute type 'Q'"),
            (#"{"a":{"NULL":false}}"#, "Item.a: NULL must be true"),
            (#"[1]"#, "Item: expected an object, found an array"),
        ]
        for (text, expected) in cases {
            #expect {
                _ = try AttributeValue.item(json: try JSONParser().parse(text), path: "Item")
            } throws: { error in
                "\(error)".hasPrefix(expected)
            }
        }
    }
}

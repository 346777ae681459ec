import JSON
import Testing

@Suite struct JSONWriterTests {
    let sample: JSONValue = [
        "name": "sentinel-requests",
        "count": 3,
        "ratio": 0.25,
        "flags": [true, false, nil],
        "empty": [],
        "nothing": [:],
        "nested": ["list": [1, [2]]],
    ]

    @Test func writesCompactText() {
        #expect(
            sample.jsonText()
                == #"{"name":"sentinel-requests","count":3,"ratio":0.25,"flags":[true,false,null],"empty":[],"nothing":{},"nested":{"list":[1,[2]]}}"#
        )
    }

    @Test func writesPrettyTextWithTwoSpaces() {
        let expected = """
            {
              "name": "sentinel-requests",
              "count": 3,
              "ratio": 0.25,
              "flags": [
                true,
                false,
                null
              ],
              "empty": [],
              "nothing": {},
              "nested": {
                "list": [
                  1,
                  [
                    2
                  ]
                ]
              }
            }
            """
        #expect(sample.jsonText(.pretty) == expected)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        let value = JSONValue.string("q\" b\\ n\n r\r t\t b\u{08} f\u{0C} nul\u{00} us\u{1F} del\u{7F} /")
        #expect(value.jsonText() == #""q\" b\\ n\n r\r t\t b\b f\f nul\u0000 us\u001f del\#u{7F} /""#)
    }

    @Test func passesNonASCIIThroughAsUTF8() {
        let value: JSONValue = ["clé": "日本 😀 \u{2028}"]
        #expect(value.jsonText() == "{\"clé\":\"日本 😀 \u{2028}\"}")
        #expect(JSONWriter().bytes(from: "é") == [0x22, 0xC3, 0xA9, 0x22])
    }

    @Test func roundTripsThroughText() throws {
        let text = #"{"a":[1,2.50,-0,1E+2,"x\u0001y"],"b":{"c":null,"d":true},"e":"😀"}"#
        let value = try JSONValue(parsing: text)
        // Numbers keep their text; the escape is written back in its canonical form.
        #expect(value.jsonText() == #"{"a":[1,2.50,-0,1E+2,"x\u0001y"],"b":{"c":null,"d":true},"e":"😀"}"#)
        #expect(try JSONValue(parsing: value.jsonText(.pretty)) == value)
        #expect(try JSONValue(parsing: sample.jsonText()) == sample)
        #expect(try JSONValue(parsing: sample.jsonText(.pretty)) == sample)
    }

    @Test func isDeterministic() {
        let first = JSONWriter(style: .pretty).bytes(from: sample)
        for _ in 0..<10 {
            #expect(JSONWriter(style: .pretty).bytes(from: sample) == first)
        }
    }

    @Test func floatLiteralsThatOverflowBecomeNull() {
        #expect(JSONValue(floatLiteral: .infinity) == .null)
        #expect(JSONValue(floatLiteral: 1.5) == .number(JSONNumber("1.5")!))
    }
}

import JSON
import Testing

@Suite struct JSONValueTests {
    @Test func accessorsReturnValuesOfTheirKindOnly() {
        let value: JSONValue = ["s": "text", "n": 7, "b": true, "a": [1, 2], "o": ["k": "v"], "z": nil]
        #expect(value["s"]?.stringValue == "text")
        #expect(value["n"]?.intValue == 7)
        #expect(value["n"]?.numberValue == JSONNumber(7))
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?.arrayValue == [1, 2])
        #expect(value["a"]?[1] == 2)
        #expect(value["a"]?[2] == nil)
        #expect(value["a"]?[-1] == nil)
        #expect(value["o"]?["k"] == "v")
        #expect(value["z"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["s"]?.intValue == nil)
        #expect(value["n"]?.stringValue == nil)
        #expect(JSONValue("x")["k"] == nil)
        #expect(value.objectValue?.count == 6)
    }

    @Test func convenienceInitialisers() {
        #expect(JSONValue(5) == .number(JSONNumber(5)))
        #expect(JSONValue("a") == .string("a"))
        #expect(JSONValue(true) == .bool(true))
    }

    @Test func numbersCompareByText() {
        #expect(JSONValue.number(JSONNumber("1.0")!) != JSONValue.number(JSONNumber("1")!))
        #expect(JSONNumber("1.0")?.doubleValue == JSONNumber("1")?.doubleValue)
        #expect(JSONNumber("12345678901234567890123456789012345678")?.int64Value == nil)
        #expect(JSONNumber("1e3")?.intValue == nil)
    }

    @Test func objectSubscriptReplacesInPlaceAppendsAndRemoves() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = 10
        object["c"] = 3
        object["b"] = nil
        object["missing"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object["a"] == 10)
        #expect(JSONValue.object(object).jsonText() == #"{"a":10,"c":3}"#)
    }

    @Test func objectEqualityIncludesOrder() {
        let ab: JSONObject = ["a": 1, "b": 2]
        let ba: JSONObject = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ab == JSONObject([("a", 1), ("b", 2)]))
        #expect(JSONObject([("a", 1), ("b", 2), ("a", 3)]).keys == ["a", "b"])
        #expect(JSONObject([("a", 1), ("b", 2), ("a", 3)])["a"] == 3)
    }

    @Test func descriptionIsCompactJSON() {
        let value: JSONValue = ["k": [1, "two"]]
        #expect(value.description == #"{"k":[1,"two"]}"#)
    }
}

import JSON
import Testing

/// Names compared by their bytes (issue #17, gap 5): "café" with a precomposed "é" and with "e" and a
/// combining accent are equal Swift `String`s but two names to JSON and to DynamoDB.
@Suite struct ExactStringTests {
    static let composed = "caf\u{E9}"
    static let decomposed = "cafe\u{301}"

    @Test func theTwoSpellingsAreEqualStringsButTwoExactStrings() {
        // The premise: Swift's String equality is canonical equivalence.
        #expect(Self.composed == Self.decomposed)
        #expect(ExactString(Self.composed) != ExactString(Self.decomposed))
        #expect(Set([ExactString(Self.composed), ExactString(Self.decomposed)]).count == 2)
        #expect(ExactString(Self.composed) == ExactString("caf\u{E9}"))
        #expect(!Self.composed.hasSameBytes(as: Self.decomposed))
    }

    @Test func orderIsByBytesAsDynamoDBSorts() {
        // "e" (0x65) then U+0301 sorts before U+00E9 (0xC3 0xA9) by bytes.
        #expect(ExactString(Self.decomposed) < ExactString(Self.composed))
        #expect(ExactString("Z") < ExactString("a"))
        #expect(!(ExactString("a") < ExactString("a")))
        let sorted = [ExactString("b"), ExactString(Self.composed), ExactString("a")].sorted()
        #expect(sorted.map(\.text) == ["a", "b", Self.composed])
    }

    @Test func anObjectMayHoldBothSpellingsButNotTheSameBytesTwice() throws {
        let text = #"{"\#(Self.composed)":1,"\#(Self.decomposed)":2}"#
        guard case .object(let object) = try JSONValue(parsing: text) else {
            Issue.record("not an object")
            return
        }
        #expect(object.count == 2)
        #expect(object[Self.composed] == 1)
        #expect(object[Self.decomposed] == 2)
        // Written back, both members are there with their own bytes.
        #expect(JSONValue.object(object).description == text)
        #expect {
            _ = try JSONValue(parsing: #"{"\#(Self.composed)":1,"caf\u00e9":2}"#)
        } throws: { error in
            (error as? JSONParseError)?.kind == .duplicateKey
        }
    }

    @Test func settingAMemberReplacesOnlyTheSameBytes() {
        var object: JSONObject = [Self.composed: 1]
        object[Self.decomposed] = 2
        #expect(object.count == 2)
        object[Self.composed] = nil
        #expect(object.keys == [Self.decomposed])
        #expect(JSONObject([(Self.composed, JSONValue(1))]) != JSONObject([(Self.decomposed, JSONValue(1))]))
    }
}

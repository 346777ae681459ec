import Testing

@testable import DynamoDB

/// The value rules import checks before its first write, each as DynamoDB states it.
@Suite struct ItemRulesTests {
    @Test func itemsDynamoDBStoresPass() {
        let item: Item = [
            "id": "a", "empty": "", "tags": .stringSet(["x", "y"]), "ns": .numberSet([1, 2]),
            "bs": .binarySet([[0], [0, 0]]),
            "nested": .map(["l": .list([.stringSet(["é"]), .stringSet(["e\u{301}"])])]),
        ]
        #expect(ItemRules.problem(in: item, keyNames: ["id"]) == nil)
        // Strings are compared as bytes, as DynamoDB does: "é" precomposed and decomposed are two elements.
        #expect(
            ItemRules.problem(in: ["id": "a", "s": .stringSet(["é", "e\u{301}"])], keyNames: ["id"]) == nil)
    }

    @Test func eachRuleIsNamedWithItsAttribute() {
        let cases: [(Item, String)] = [
            (["id": ""], "key attribute 'id' is an empty string; DynamoDB refuses empty key values"),
            (
                ["id": "a", "at": .binary([])],
                "key attribute 'at' is an empty binary; DynamoDB refuses empty key values"
            ),
            (["id": "a", "tags": .stringSet([])], "'tags' is an empty set; DynamoDB refuses empty sets"),
            (
                ["id": "a", "tags": .stringSet(["x", "y", "x"])],
                "'tags' holds \"x\" twice; DynamoDB refuses sets with duplicate elements"
            ),
            (
                ["id": "a", "ns": .numberSet([1, AttributeNumber("1.0")!])],
                "'ns' holds 1 twice; DynamoDB refuses sets with duplicate elements"
            ),
            (
                ["id": "a", "bs": .binarySet([[1, 2], [1, 2]])],
                "'bs' holds <2 bytes> twice; DynamoDB refuses sets with duplicate elements"
            ),
            (
                ["id": "a", "m": .map(["l": .list(["x", .numberSet([])])])],
                "'m.l[1]' is an empty set; DynamoDB refuses empty sets"
            ),
            (
                ["id": "a", "big": .string(String(repeating: "x", count: 409_600))],
                "the item is 409,606 bytes; DynamoDB refuses items over 400 KB (409,600 bytes)"
            ),
        ]
        for (item, expected) in cases {
            #expect(ItemRules.problem(in: item, keyNames: ["id", "at"]) == expected)
        }
    }
}

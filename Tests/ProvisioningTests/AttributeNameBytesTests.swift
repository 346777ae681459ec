import Provisioning
import Schema
import Testing

/// Attribute names in a schema are what DynamoDB takes them to be, a sequence of bytes: "café" with a
/// precomposed "é" and with "e" and a combining accent are two attributes (Swift's `String` would call
/// them equal). Validation, the CreateTable request and the plan all keep them apart.
@Suite struct AttributeNameBytesTests {
    static let composed = "caf\u{E9}"
    static let decomposed = "cafe\u{301}"

    @Test func theTwoSpellingsAreTwoAttributes() {
        #expect(Self.composed == Self.decomposed)  // Swift's view, which the schema must not take
        var schema = TableSchema(
            name: "ttt", partitionKey: .string(Self.composed), sortKey: .number(Self.decomposed))
        schema.globalSecondaryIndexes = [
            GlobalSecondaryIndex(name: "by_other", partitionKey: .binary(Self.decomposed))
        ]
        // The sort key is another attribute than the partition key, so no "must differ"; the GSI's key is
        // the sort key's attribute with another type, which is a conflict.
        let problems = schema.validate().map(\.description)
        #expect(!problems.contains { $0.contains("must differ") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("gsis[1].partition_key") }, "\(problems)")
        schema.globalSecondaryIndexes = []
        #expect(schema.validate().isEmpty)
        let names = schema.attributeDefinitions.map { Array($0.name.utf8) }
        // Both, in DynamoDB's byte order ("e" + U+0301 is 65 CC 81, "é" is C3 A9).
        #expect(names == [Array(Self.decomposed.utf8), Array(Self.composed.utf8)])
    }

    @Test func aKeyOrTTLSpelledOtherwiseThanTheLiveTablesIsAChange() {
        let live = liveTable(
            matching: TableSchema(
                name: "ttt", partitionKey: .string(Self.composed), ttlAttribute: Self.composed))
        let schema = TableSchema(
            name: "ttt", partitionKey: .string(Self.decomposed), ttlAttribute: Self.decomposed)
        let plan = TableDiff.plan(schema, live: live)
        #expect(plan.blocked.map(\.field) == ["partition_key"])
        #expect(
            plan.steps == [
                .disableTimeToLive(attribute: Self.composed),
                .enableTimeToLive(attribute: Self.decomposed, replacing: Self.composed),
            ])
        let same = TableSchema(name: "ttt", partitionKey: .string(Self.composed), ttlAttribute: Self.composed)
        #expect(TableDiff.plan(same, live: live).steps.isEmpty)
    }

    @Test func anIndexProjectingTheOtherSpellingIsRecreated() {
        let index = GlobalSecondaryIndex(
            name: "by_user", partitionKey: .string("user"), projection: .include([Self.composed]))
        var schema = TableSchema(name: "ttt", partitionKey: .string("id"), globalSecondaryIndexes: [index])
        let live = liveTable(matching: schema)
        schema.globalSecondaryIndexes[0].projection = .include([Self.decomposed])
        let steps = TableDiff.plan(schema, live: live).steps
        #expect(steps.contains { if case .deleteIndex = $0 { true } else { false } }, "\(steps)")
    }
}

import JSON
import Schema
import Testing

/// GSI keys of several attributes (DynamoDB's multi-attribute keys): validation with element paths and
/// limits, CreateTable's KeySchema and definitions, and the document scripts and `--format` read.
@Suite struct MultiAttributeKeyTests {
    static let tenantRegion = GlobalSecondaryIndex(
        name: "gsi-tenant-region", partitionKeys: [.string("tenant"), .string("region")],
        sortKeys: [.string("created_at")])

    func schema(_ indexes: [GlobalSecondaryIndex]) -> TableSchema {
        TableSchema(name: "audit", partitionKey: .string("id"), globalSecondaryIndexes: indexes)
    }

    func paths(_ index: GlobalSecondaryIndex) -> [String] {
        schema([index]).validate().map(\.path)
    }

    @Test func aValidMultiAttributeIndexHasNoProblems() {
        #expect(schema([Self.tenantRegion]).validate() == [])
        let widest = GlobalSecondaryIndex(
            name: "gsi-wide", partitionKeys: ["a", "b", "c", "d"].map(KeyAttribute.string),
            sortKeys: ["e", "f", "g"].map(KeyAttribute.string) + [.number("h")])
        #expect(schema([widest]).validate() == [])
    }

    @Test func atMostFourAttributesInEachKey() {
        let five = ["a", "b", "c", "d", "e"].map(KeyAttribute.string)
        #expect(
            schema([GlobalSecondaryIndex(name: "gsi-x", partitionKeys: five)]).validate() == [
                SchemaProblem(
                    path: "gsis[1].partition_key",
                    message: "5 attributes; a GSI's partition_key may have at most 4")
            ])
        #expect(
            paths(GlobalSecondaryIndex(name: "gsi-x", partitionKeys: [.string("p")], sortKeys: five)) == [
                "gsis[1].sort_key"
            ])
    }

    @Test func noAttributeTwiceInOneIndexKey() {
        let repeated = GlobalSecondaryIndex(
            name: "gsi-x", partitionKeys: [.string("tenant"), .string("tenant")], sortKeys: [.string("t")])
        #expect(
            schema([repeated]).validate() == [
                SchemaProblem(
                    path: "gsis[1].partition_key[2].name",
                    message:
                        "attribute 'tenant' is already a key of this index (gsis[1].partition_key[1]); "
                        + "an index key may not repeat an attribute")
            ])
        let across = GlobalSecondaryIndex(
            name: "gsi-x", partitionKeys: [.string("a"), .string("b")],
            sortKeys: [.string("c"), .string("a")])
        #expect(paths(across) == ["gsis[1].sort_key[2].name"])
    }

    @Test func typesConflictWithOtherUsesOfTheAttribute() {
        var table = schema([Self.tenantRegion])
        table.globalSecondaryIndexes.append(
            GlobalSecondaryIndex(
                name: "gsi-b", partitionKeys: [.string("x"), .number("region")]))
        #expect(
            table.validate() == [
                SchemaProblem(
                    path: "gsis[2].partition_key[2].type",
                    message:
                        "attribute 'region' is N here but S at gsis[1].partition_key[2]; "
                        + "an attribute must have one type in every key schema")
            ])
    }

    @Test func everyElementFollowsTheKeyNameRules() {
        let index = GlobalSecondaryIndex(
            name: "gsi-x",
            partitionKeys: [
                .string(""), KeyAttribute(name: String(repeating: "k", count: 256)), .string("ok"),
            ],
            sortKeys: [KeyAttribute(name: "s", type: AttributeType(rawValue: "X"))])
        #expect(
            paths(index) == [
                "gsis[1].partition_key[1].name", "gsis[1].partition_key[2].name", "gsis[1].sort_key.type",
            ])
        #expect(
            paths(GlobalSecondaryIndex(name: "gsi-x", partitionKeys: [])) == ["gsis[1].partition_key.name"])
    }

    @Test func createTableSendsEveryElementHashFirstThenRange() throws {
        let request = schema([Self.tenantRegion]).createTableRequest()
        let index = try #require(request["GlobalSecondaryIndexes"]?[0])
        #expect(
            index["KeySchema"]?.description
                == #"[{"AttributeName":"tenant","KeyType":"HASH"},{"AttributeName":"region","KeyType":"HASH"},{"AttributeName":"created_at","KeyType":"RANGE"}]"#
        )
        #expect(
            request["AttributeDefinitions"]?.arrayValue?.compactMap { $0["AttributeName"]?.stringValue } == [
                "created_at", "id", "region", "tenant",
            ])
    }

    @Test func theDocumentWritesOneElementAsBeforeAndSeveralAsAList() throws {
        var table = schema([Self.tenantRegion])
        table.globalSecondaryIndexes.append(
            GlobalSecondaryIndex(name: "gsi-one", partitionKey: .string("one")))
        let gsis = try #require(table.schemaDocument()["gsis"])
        #expect(
            gsis[0]?["partition_key"]?.description
                == #"[{"name":"tenant","type":"S"},{"name":"region","type":"S"}]"#)
        #expect(gsis[0]?["sort_key"]?.description == #"{"name":"created_at","type":"S"}"#)
        #expect(gsis[1]?["partition_key"]?.description == #"{"name":"one","type":"S"}"#)
        #expect(gsis[1]?["sort_key"] == nil)
    }

    @Test func keysAreDescribedWithEveryElement() {
        #expect(Self.tenantRegion.describeKeys(\.name) == "tenant + region, created_at")
        #expect(
            GlobalSecondaryIndex(name: "g", partitionKey: .string("p")).describeKeys {
                "\($0.name) (\($0.type))"
            }
                == "p (S)")
    }
}

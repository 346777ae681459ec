import JSON
import Schema
import Testing

@testable import Provisioning

/// Whatever DescribeTable holds that the model cannot represent is named, shown by status, and blocks:
/// a plan against it is never "up to date" (docs/architecture.md, "Unknown shapes").
@Suite struct UnmanagedFieldTests {
    static let schema = MultiAttributeKeyDiffTests.schema

    /// The reference answer with `edit` applied to its `Table`.
    func live(_ edit: (inout JSONObject) -> Void) throws -> LiveTable {
        let answer = try JSONValue(parsing: MultiAttributeKeyDiffTests.describeTable)
        var table = try #require(answer["Table"]?.objectValue)
        edit(&table)
        return try LiveTable(describeTable: ["Table": .object(table)])
    }

    func index(_ table: JSONObject, _ edit: (inout JSONObject) -> Void) -> JSONValue {
        var index = table["GlobalSecondaryIndexes"]?[0]?.objectValue ?? [:]
        edit(&index)
        return .array([.object(index)])
    }

    @Test func harmlessMembersAreNotListed() throws {
        let table = try live { _ in }
        #expect(table.unmanaged == [])
        #expect(TableDiff.plan(Self.schema, live: table).isUpToDate)
    }

    @Test(arguments: [
        ("Table.GlobalTableVersion", #""2017.11.29""#),
        ("Table.MultiRegionConsistency", #""QUORUM""#),
        ("Table.SomethingNew", #"{"a":1}"#),
    ])
    func unknownTableMembersAreListedAndBlock(member: String, json: String) throws {
        let name = String(member.dropFirst("Table.".count))
        let table = try live { $0[name] = try? JSONValue(parsing: json) }
        #expect(
            table.unmanaged == [UnmanagedField(path: member, value: try JSONValue(parsing: json).description)]
        )
        let plan = TableDiff.plan(Self.schema, live: table)
        #expect(!plan.isUpToDate)
        #expect(plan.blocked.map(\.field) == ["not managed: \(member)"])
        #expect(plan.blocked[0].description.hasPrefix("not managed: \(member) = "))
        #expect(StatusReport.text(name: "audit", table).contains("  not managed: \(member) = "))
        #expect(StatusReport.json(name: "audit", table)["not_managed"]?[0]?["path"]?.stringValue == member)
    }

    @Test func emptyValuesSayNothing() throws {
        let table = try live {
            $0["Replicas"] = .array([])
            $0["GlobalTableWitnesses"] = .null
        }
        #expect(table.unmanaged == [])
    }

    @Test func unknownIndexMembersAndValuesAreListed() throws {
        let table = try live { table in
            table["GlobalSecondaryIndexes"] = index(table) { index in
                index["FutureSetting"] = true
                index["Projection"] = ["ProjectionType": "EVERYTHING"]
                var keys = index["KeySchema"]?.arrayValue ?? []
                keys.append(["AttributeName": "x", "KeyType": "SHARD"])
                index["KeySchema"] = .array(keys)
            }
            table["SSEDescription"] = ["Status": "ENABLED", "SSEType": "QUANTUM"]
        }
        #expect(
            table.unmanaged.map(\.path) == [
                "Table.SSEDescription.SSEType",
                "Table.GlobalSecondaryIndexes[gsi-tenant].FutureSetting",
                "Table.GlobalSecondaryIndexes[gsi-tenant].KeySchema[3].KeyType",
                "Table.GlobalSecondaryIndexes[gsi-tenant].Projection.ProjectionType",
                "Table.GlobalSecondaryIndexes[gsi-tenant].KeySchema[3].AttributeName",
            ])
        #expect(!TableDiff.plan(Self.schema, live: table).isUpToDate)
    }

    @Test func keyShapesTheModelCannotHoldAreListed() throws {
        let twoHashes = try live { table in
            table["KeySchema"] = [
                ["AttributeName": "id", "KeyType": "HASH"], ["AttributeName": "tenant", "KeyType": "HASH"],
            ]
        }
        #expect(twoHashes.unmanaged.map(\.path) == ["Table.KeySchema"])
        let fiveHashes = try live { table in
            table["GlobalSecondaryIndexes"] = index(table) { index in
                index["KeySchema"] = .array(
                    ["id", "tenant", "region", "created_at", "id"].map {
                        ["AttributeName": .string($0), "KeyType": "HASH"]
                    })
            }
        }
        #expect(fiveHashes.unmanaged.map(\.path) == ["Table.GlobalSecondaryIndexes[gsi-tenant].KeySchema"])
        let rangeFirst = try live { table in
            table["GlobalSecondaryIndexes"] = index(table) { index in
                index["KeySchema"] = [
                    ["AttributeName": "created_at", "KeyType": "RANGE"],
                    ["AttributeName": "tenant", "KeyType": "HASH"],
                ]
            }
        }
        #expect(rangeFirst.unmanaged.map(\.path) == ["Table.GlobalSecondaryIndexes[gsi-tenant].KeySchema"])
    }
}

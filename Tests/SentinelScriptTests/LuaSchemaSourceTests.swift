import Lua
import Schema
import SentinelScript
import Testing

@Suite struct LuaSchemaSourceTests {
    @Test(arguments: BuiltInSchema.allCases)
    func renderedSourceRunsBackToTheSameSchema(kind: BuiltInSchema) throws {
        let source = LuaSchemaSource.script(returning: [kind.schema()])
        #expect(source.hasPrefix("return sentinel.table {\n"))
        let state = try sentinelState()
        #expect(try ScriptSchemas.read(try state.run(source, name: "r.lua")) == [kind.schema()])
    }

    @Test func everyOptionAndAwkwardTextRoundTrip() throws {
        let schemas = [
            TableSchema(
                name: "audit", partitionKey: .number("id"), sortKey: .binary("at"),
                globalSecondaryIndexes: [
                    GlobalSecondaryIndex(
                        name: "by-actor", partitionKey: .string("actor"),
                        projection: .include(["why", "end"]),
                        readCapacity: 1, writeCapacity: 2)
                ],
                localSecondaryIndexes: [
                    LocalSecondaryIndex(name: "lsi", sortKey: .number("n"), projection: .keysOnly)
                ],
                billingMode: .provisioned, readCapacity: 3, writeCapacity: 4, ttlAttribute: "expires",
                encryption: .customerKey("alias/x"), deletionProtection: true, pointInTimeRecovery: true,
                stream: .newAndOldImages, tableClass: .standardInfrequentAccess,
                tags: ["cost center": "a\"b\\c\n\u{1}2", "end": "ünïcode"]),
            BuiltInSchema.breakglass.schema(),
        ]
        let source = LuaSchemaSource.script(returning: schemas)
        let state = try sentinelState()
        #expect(try ScriptSchemas.read(try state.run(source, name: "r.lua")) == schemas)
    }
}

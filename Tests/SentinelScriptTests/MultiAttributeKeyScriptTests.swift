import Lua
import Schema
import SentinelScript
import Testing

/// `partition_key = { "tenant", "region" }` and `sort_key = { "a", { name = "b", type = "N" } }` in
/// `sentinel.table`, `add_gsi` and `validate`, at the top level and inside coroutines; the Lua source
/// `schema --from-table` writes reads back as the same schema.
@Suite struct MultiAttributeKeyScriptTests {
    static let expected = GlobalSecondaryIndex(
        name: "gsi-tenant", partitionKeys: [.string("tenant"), .string("region")],
        sortKeys: [.string("created_at"), .number("seq")])

    static let tableScript = """
        sentinel.table { name = "audit", partition_key = "id", gsis = {
          { name = "gsi-tenant", partition_key = { "tenant", "region" },
            sort_key = { "created_at", { name = "seq", type = "N" } } } } }
        """

    /// `body` run as the script, wrapped in a coroutine, and in a created coroutine that yields first.
    static func forms(_ body: String) -> [String] {
        [
            body,
            "return coroutine.wrap(function() \(body) end)()",
            """
            local co = coroutine.create(function() coroutine.yield() \(body) end)
            coroutine.resume(co)
            return select(2, coroutine.resume(co))
            """,
        ]
    }

    @Test(arguments: forms("return " + tableScript))
    func tableReadsEveryElement(script: String) throws {
        let state = try sentinelState()
        let schemas = try ScriptSchemas.read(try state.run(script, name: "t.lua"))
        #expect(schemas.first?.globalSecondaryIndexes == [Self.expected])
        #expect(schemas.first?.validate() == [])
    }

    @Test(
        arguments: forms(
            """
            local s = sentinel.table { name = "audit", partition_key = "id" }
            s:add_gsi { name = "gsi-tenant", partition_key = { "tenant", "region" },
              sort_key = { "created_at", { name = "seq", type = "N" } } }
            assert(#s.gsis[1].partition_key == 2 and s.gsis[1].partition_key[2].name == "region")
            return s
            """))
    func addGSITakesLists(script: String) throws {
        let state = try sentinelState()
        let schemas = try ScriptSchemas.read(try state.run(script, name: "g.lua"))
        #expect(schemas.first?.globalSecondaryIndexes == [Self.expected])
    }

    @Test(
        arguments: forms(
            """
            local s = sentinel.table { name = "audit", partition_key = "id", gsis = {
              { name = "gsi-x", partition_key = { "a", "b", "c", "d", "e" }, sort_key = { "s", "s" } },
              { name = "gsi-y", partition_key = { "a", { name = "b", type = "N" } } } } }
            return sentinel.validate(s)
            """))
    func validateNamesElementPaths(script: String) throws {
        let state = try sentinelState()
        let results = try state.run(script, name: "v.lua")
        #expect(results.first == .nil)
        let lines = (results.count > 1 ? results[1].stringValue ?? "" : "").split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("gsis[1].partition_key: 5 attributes") })
        #expect(lines.contains { $0.hasPrefix("gsis[1].sort_key[2].name: attribute 's' is already a key") })
        #expect(lines.contains { $0.hasPrefix("gsis[2].partition_key[2].type: attribute 'b' is N here") })
    }

    @Test func aTableKeyIsOneAttribute() throws {
        let state = try sentinelState()
        let error = luaError {
            _ = try state.run(
                "\nreturn sentinel.table { name = 'audit', partition_key = { 'a', 'b' } }", name: "k.lua")
        }
        #expect(error?.message.contains("partition_key") == true)
        #expect(error?.message.contains("lists of attributes are for GSI keys only") == true)
    }

    @Test func generatedSourceReadsBack() throws {
        let schema = TableSchema(
            name: "audit", partitionKey: .string("id"), globalSecondaryIndexes: [Self.expected])
        let source = LuaSchemaSource.script(returning: [schema])
        #expect(
            source.contains(
                #"partition_key = { { name = "tenant", type = "S" }, { name = "region", type = "S" } }"#))
        let state = try sentinelState()
        #expect(try ScriptSchemas.read(try state.run(source, name: "from-table.lua")) == [schema])
    }
}

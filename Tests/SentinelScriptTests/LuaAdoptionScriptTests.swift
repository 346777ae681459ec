import Lua
import Schema
import SentinelScript
import Testing

/// The script `schema --from-table` writes gives back exactly the schema it was written from, on the
/// built-in Sentinel schema when the table is one, otherwise as a `sentinel.table`.
@Suite struct LuaAdoptionScriptTests {
    /// Sentinel's sessions table as teams run it: provisioned, a device index, an index removed, tags.
    static var editedSessions: TableSchema {
        var schema = BuiltInSchema.sessions.schema(name: "sentinel-sessions-prod")
        schema.billingMode = .provisioned
        schema.readCapacity = 10
        schema.writeCapacity = 5
        for offset in schema.globalSecondaryIndexes.indices {
            schema.globalSecondaryIndexes[offset].readCapacity = 5
            schema.globalSecondaryIndexes[offset].writeCapacity = offset + 1
        }
        schema.globalSecondaryIndexes.removeAll { $0.name == "gsi-profile" }
        schema.globalSecondaryIndexes.append(
            GlobalSecondaryIndex(
                name: "gsi-device-id", partitionKey: .string("device_id"), sortKey: .string("created_at"),
                projection: .include(["user"]), readCapacity: 2, writeCapacity: 2))
        schema.ttlAttribute = nil
        schema.deletionProtection = true
        schema.pointInTimeRecovery = true
        schema.stream = .newImage
        schema.tags = ["team": "platform", "cost-center": "security"]
        return schema
    }

    static var other: TableSchema {
        TableSchema(
            name: "audit", partitionKey: .number("id"), sortKey: .binary("at"),
            localSecondaryIndexes: [LocalSecondaryIndex(name: "by-n", sortKey: .number("n"))],
            tableClass: .standardInfrequentAccess, tags: ["a": "b"])
    }

    static func read(_ source: String) throws -> [TableSchema] {
        let state = try sentinelState()
        return try ScriptSchemas.read(try state.run(source, name: "adopted.lua"))
    }

    @Test(arguments: BuiltInSchema.allCases)
    func anUnchangedBuiltInIsOneLine(kind: BuiltInSchema) throws {
        let schema = kind.schema(name: "\(kind.defaultTableName)-dev")
        let source = LuaAdoptionScript.script(for: [.init(schema: schema)])
        #expect(
            source == """
                -- \(schema.name): Sentinel's \(kind.rawValue) schema, unchanged
                local s = sentinel.schema.\(kind.rawValue) { name = "\(schema.name)" }
                return s

                """)
        #expect(try Self.read(source) == [schema])
    }

    @Test func anEditedBuiltInIsWrittenAsEditsThatGiveItBack() throws {
        let schema = Self.editedSessions
        let source = LuaAdoptionScript.script(for: [.init(schema: schema)])
        let lines = source.split(separator: "\n").map(String.init)
        let heading: String =
            "-- sentinel-sessions-prod: Sentinel's sessions schema; differs in gsis (gsi-user read_capacity, "
            + "write_capacity; gsi-status read_capacity, write_capacity; gsi-server-instance read_capacity, "
            + "write_capacity; gsi-profile removed; gsi-device-id added), billing_mode, read_capacity, "
            + "write_capacity, ttl, deletion_protection, point_in_time_recovery, stream, tags"
        #expect(lines.first == heading)
        #expect(lines.contains("local s = sentinel.schema.sessions { name = \"sentinel-sessions-prod\" }"))
        #expect(lines.contains("s.billing_mode = \"PROVISIONED\""))
        #expect(lines.contains("s.ttl = nil"))
        #expect(lines.contains("s.gsis[2].write_capacity = 2"))
        #expect(lines.contains("s:remove_gsi \"gsi-profile\""))
        #expect(source.contains("s:add_gsi {\n  name = \"gsi-device-id\","), "\(source)")
        #expect(lines.contains("s.tags[\"cost-center\"] = \"security\""))
        #expect(lines.contains("s.tags.team = \"platform\""))
        #expect(lines.last == "return s")
        let read = try #require(try Self.read(source).first)
        #expect(Set(read.globalSecondaryIndexNames) == Set(schema.globalSecondaryIndexNames))
        var reordered = read
        reordered.globalSecondaryIndexes = schema.globalSecondaryIndexNames.compactMap { name in
            read.globalSecondaryIndexes.first { $0.name == name }
        }
        #expect(reordered == schema)
    }

    @Test func aTableThatIsNoBuiltInIsASentinelTable() throws {
        let source = LuaAdoptionScript.script(for: [.init(schema: Self.other)])
        #expect(
            source.hasPrefix(
                "-- audit: not one of Sentinel's schemas; every setting as it is\nreturn sentinel.table {"))
        #expect(try Self.read(source) == [Self.other])
    }

    /// Keys that match but too few indexes: not written on the built-in.
    @Test func aBuiltInWithMostIndexesGoneIsNoMatch() {
        var schema = BuiltInSchema.approvals.schema()
        schema.globalSecondaryIndexes.removeLast(2)
        #expect(BuiltInSchemaMatch.closest(to: schema) == nil)
        #expect(BuiltInSchemaMatch.closest(to: BuiltInSchema.sessions.schema())?.kind == .sessions)
        #expect(BuiltInSchemaMatch.closest(to: BuiltInSchema.breakglass.schema())?.kind == .breakglass)
    }

    @Test func severalTablesAndAKMSKeyComment() throws {
        var approvals = BuiltInSchema.approvals.schema()
        approvals.tags = ["x y": "z"]
        let tables: [LuaAdoptionScript.Table] = [
            .init(schema: approvals, kmsKeyARN: "arn:aws:kms:us-east-1:123456789012:key/k"),
            .init(schema: Self.other), .init(schema: Self.editedSessions),
        ]
        let source = LuaAdoptionScript.script(for: tables)
        #expect(source.hasPrefix("local schemas = {}\n"))
        #expect(source.hasSuffix("\nreturn schemas\n"))
        #expect(
            source.contains("\nschemas[#schemas + 1] = sentinel.table {\n  name = \"audit\",\n"), "\(source)")
        #expect(
            source.contains("-- DynamoDB reports KMS key arn:aws:kms:us-east-1:123456789012:key/k; if it is"))
        let read = try Self.read(source)
        #expect(read.count == 3)
        #expect(read.first == approvals && read.dropFirst().first == Self.other)
    }
}

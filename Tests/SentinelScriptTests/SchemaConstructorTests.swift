import Lua
import Schema
import SentinelScript
import Testing

@Suite struct SchemaConstructorTests {
    @Test(arguments: BuiltInSchema.allCases)
    func builtInsReadBackAsTheirSwiftSchemas(kind: BuiltInSchema) throws {
        let state = try sentinelState()
        let returned = try state.run("return sentinel.schema.\(kind.rawValue)()", name: "s.lua")
        #expect(try ScriptSchemas.read(returned) == [kind.schema()])
    }

    @Test func builtInsTakeANameAndOverrides() throws {
        let state = try sentinelState()
        let returned = try state.run(
            """
            local s = sentinel.schema.sessions { name = "sentinel-sessions-prod", deletion_protection = true }
            return s
            """, name: "s.lua")
        var expected = BuiltInSchema.sessions.schema(name: "sentinel-sessions-prod")
        expected.deletionProtection = true
        #expect(try ScriptSchemas.read(returned) == [expected])
    }

    @Test func schemasArePlainEditableTables() throws {
        let state = try sentinelState()
        let returned = try state.run(
            """
            local s = sentinel.schema.approvals()
            assert(s.name == "sentinel-requests")
            assert(s.partition_key.name == "id" and s.partition_key.type == "S")
            assert(#s.gsis == 3 and s.gsis[1].name == "gsi-requester")
            s.ttl = nil
            s.tags.team = "platform"
            s.point_in_time_recovery = true
            s.gsis[2].projection = "KEYS_ONLY"
            return s
            """, name: "edit.lua")
        var expected = BuiltInSchema.approvals.schema()
        expected.ttlAttribute = nil
        expected.tags = ["team": "platform"]
        expected.pointInTimeRecovery = true
        expected.globalSecondaryIndexes[1].projection = .keysOnly
        #expect(try ScriptSchemas.read(returned) == [expected])
    }

    @Test func addRemoveAndCopyGlobalSecondaryIndexes() throws {
        let state = try sentinelState()
        let returned = try state.run(
            """
            local s = sentinel.schema.sessions()
            local before = s:copy()
            s:add_gsi { name = "gsi-device-id", partition_key = "device_id", sort_key = "created_at" }
            s:remove_gsi "gsi-profile"
            assert(#before.gsis == 4, "the copy is independent")
            assert(getmetatable(before) == getmetatable(s), "the copy keeps the methods")
            return { s, before }
            """, name: "gsi.lua")
        var expected = BuiltInSchema.sessions.schema()
        expected.globalSecondaryIndexes.removeAll { $0.name == "gsi-profile" }
        expected.globalSecondaryIndexes.append(
            GlobalSecondaryIndex(
                name: "gsi-device-id", partitionKey: .string("device_id"), sortKey: .string("created_at"),
                projection: .all))
        #expect(try ScriptSchemas.read(returned) == [expected, BuiltInSchema.sessions.schema()])
    }

    @Test func anyTableWithEveryKeyForm() throws {
        let state = try sentinelState()
        let returned = try state.run(
            """
            return sentinel.table {
              name = "audit",
              partition_key = { name = "id", type = "N" },
              sort_key = "at",
              ttl = "expires",
              billing_mode = "PROVISIONED", read_capacity = 5, write_capacity = 2,
              encryption = { type = "CUSTOMER_KEY", kms_key = "alias/audit" },
              stream = "NEW_IMAGE",
              lsis = { { name = "by-kind", sort_key = "kind", projection = "INCLUDE",
                         non_key_attributes = { "actor" } } },
            }
            """, name: "audit.lua")
        let expected = TableSchema(
            name: "audit", partitionKey: .number("id"), sortKey: .string("at"),
            localSecondaryIndexes: [
                LocalSecondaryIndex(
                    name: "by-kind", sortKey: .string("kind"), projection: .include(["actor"]))
            ],
            billingMode: .provisioned, readCapacity: 5, writeCapacity: 2, ttlAttribute: "expires",
            encryption: .customerKey("alias/audit"), stream: .newImage)
        #expect(try ScriptSchemas.read(returned) == [expected])
    }

    @Test func unknownFieldsAreErrorsAtTheScriptsLine() throws {
        let state = try sentinelState()
        let error = luaError {
            try state.run(
                "local x = 1\nlocal t = sentinel.table { name = \"a\", parition_key = \"id\" }\n",
                name: "typo.lua")
        }
        #expect(
            error?.message
                == "typo.lua:2: unknown option 'parition_key' in sentinel.table (did you mean 'partition_key'?)"
        )
        let nested = luaError {
            try state.run(
                "sentinel.table { name = 'a', partition_key = 'id', gsis = { { nmae = 'x' } } }",
                name: "n.lua")
        }
        #expect(
            nested?.message
                == "n.lua:1: unknown option 'nmae' in sentinel.table gsis[1] (did you mean 'name'?)")
        let gsi = luaError {
            try state.run("local s = sentinel.schema.sessions()\n\ns:add_gsi { nmae = 'x' }", name: "g.lua")
        }
        #expect(gsi?.message == "g.lua:3: unknown option 'nmae' in add_gsi (did you mean 'name'?)")
    }

    @Test func wrongTypesAndBadArgumentsNameTheField() throws {
        let state = try sentinelState()
        let wrongType = luaError { try state.run("sentinel.schema.breakglass { ttl = 5 }", name: "t.lua") }
        #expect(
            wrongType?.message
                == "t.lua:1: bad field 'ttl' in sentinel.schema.breakglass (string expected, got number)")
        let notATable = luaError { try state.run("sentinel.table(42)", name: "a.lua") }
        #expect(
            notATable?.message == "a.lua:1: bad argument #1 to 'sentinel.table' (table expected, got number)")
        let validateNil = luaError { try state.run("\nsentinel.validate()", name: "v.lua") }
        #expect(
            validateNil?.message
                == "v.lua:2: bad argument #1 to 'sentinel.validate' (table expected, got no value)")
        let missing = luaError {
            try state.run("sentinel.schema.sessions():remove_gsi('gsi-nope')", name: "r.lua")
        }
        #expect(missing?.message == "r.lua:1: no GSI named 'gsi-nope' in schema 'sentinel-sessions'")
        let duplicate = luaError {
            try state.run(
                "sentinel.schema.sessions():add_gsi { name = 'gsi-user', partition_key = 'u' }", name: "d.lua"
            )
        }
        #expect(
            duplicate?.message
                == "d.lua:1: a GSI named 'gsi-user' already exists in schema 'sentinel-sessions'")
        let dotCall = luaError {
            try state.run("local s = sentinel.schema.sessions()\ns.copy()", name: "c.lua")
        }
        #expect(dotCall?.message.hasPrefix("c.lua:2: calling 'copy' on bad self") == true)
    }

    @Test func validateListsEveryProblemByPath() throws {
        let state = try sentinelState()
        let results = try state.run(
            """
            local s = sentinel.schema.sessions { name = "x" }
            s:add_gsi { name = "gsi-device-id", partition_key = { name = "device_id", type = "X" } }
            s.billing_mode = "PROVISIONED"
            s.tags.team = 7
            s.gsis[1].nmae = "typo"
            return sentinel.validate(s)
            """, name: "v.lua")
        #expect(results.first == .nil)
        let message = results.count > 1 ? results[1].stringValue ?? "" : ""
        let lines = message.split(separator: "\n").map(String.init)
        #expect(lines.contains("gsis[1].nmae: unknown field (did you mean 'name'?)"))
        #expect(lines.contains("tags.team: string expected, got number"))
        #expect(lines.contains { $0.hasPrefix("name: ") })
        #expect(lines.contains { $0.hasPrefix("gsis[5].partition_key.type: ") })
        #expect(lines.contains { $0.hasPrefix("read_capacity: ") })
        #expect(
            try state.run("return sentinel.schema.sessions():validate()", name: "ok.lua") == [.boolean(true)])
    }

    @Test func requireReturnsTheSameModule() throws {
        let state = try sentinelState()
        #expect(try state.run("return require('sentinel') == sentinel", name: "r.lua") == [.boolean(true)])
    }

    /// A returned schema with a wrong field is reported with every other problem of every returned
    /// schema, in the CLI's `table 'NAME': path: message` shape: fixing the first never reveals more.
    @Test func returnedSchemasWithWrongFieldsReportEveryProblemInOnePass() throws {
        let state = try sentinelState()
        let returned = try state.run(
            """
            local a = sentinel.table { name = 'a', partition_key = 'id' }
            a.nmae = 'typo'
            a.billing_mode = 'PROVISIONED'
            local b = sentinel.table { name = 'b', partition_key = 'id' }
            b.tags = { ['aws:x'] = 'y' }
            return { a, b }
            """, name: "s.lua")
        do {
            _ = try ScriptSchemas.read(returned)
            Issue.record("the schemas were read")
        } catch {
            #expect(error.problems.contains("table 'a': nmae: unknown field (did you mean 'name'?)"))
            #expect(
                error.problems.contains { $0.hasPrefix("table 'a': read_capacity: capacity is required") })
            #expect(error.problems.contains { $0.hasPrefix("table 'b': tags") })
            #expect(error.problems.allSatisfy { $0.hasPrefix("table '") })
        }
    }

    @Test func scriptsMustReturnSchemas() throws {
        #expect(throws: ScriptSchemas.ReadError.self) { try ScriptSchemas.read([]) }
        #expect(throws: ScriptSchemas.ReadError.self) { try ScriptSchemas.read([.integer(1)]) }
        #expect(throws: ScriptSchemas.ReadError.self) { try ScriptSchemas.read([.map([:])]) }
    }
}

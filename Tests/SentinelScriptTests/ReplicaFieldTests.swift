import Lua
import Schema
import SentinelScript
import Testing

/// `replicas`, `multi_region_consistency` and `witness` in scripts: read as given, written back the same
/// way, mistakes named by field path; each also from inside a coroutine.
@Suite struct ReplicaFieldTests {
    static let globalSessions = """
        local s = sentinel.schema.sessions {
          stream = "NEW_AND_OLD_IMAGES",
          replicas = {
            { region = "us-west-2" },
            { region = "eu-west-1", table_class = "STANDARD_INFREQUENT_ACCESS",
              gsis = { ["gsi-user"] = { on_demand_throughput = { max_read = 40 } } } },
          },
        }
        """

    @Test func replicasRead() throws {
        for values in try runBothWays(Self.globalSessions + "\nreturn s") {
            let schema = try #require(try ScriptSchemas.read(values).first)
            #expect(schema.replicas.map(\.region) == ["us-west-2", "eu-west-1"])
            #expect(schema.replicas[1].tableClass == .standardInfrequentAccess)
            #expect(schema.replicas[1].indexes == [ReplicaIndex(name: "gsi-user", maxRead: 40)])
            #expect(schema.multiRegionConsistency == .eventual)
            #expect(schema.validate().isEmpty, "\(schema.validate())")
        }
    }

    @Test func aScriptSeesTheReplicasItGaveAndCanEditThem() throws {
        for values in try runBothWays(
            Self.globalSessions + """

                local copy = sentinel.schema.sessions(s)
                table.remove(copy.replicas, 1)
                return copy.replicas[1].region, copy.replicas[1].gsis["gsi-user"].on_demand_throughput.max_read, #copy.replicas
                """)
        {
            #expect(values == [.string("eu-west-1"), .integer(40), .integer(1)])
        }
    }

    @Test func aReplicasOwnSettingsRead() throws {
        for values in try runBothWays(
            """
            local s = sentinel.schema.sessions { stream = "NEW_AND_OLD_IMAGES" }
            s.replicas = {
              { region = "us-west-2", deletion_protection = true, point_in_time_recovery = false, tags = "propagate" },
              { region = "eu-west-1", tags = { owner = "emea" } },
            }
            return s
            """)
        {
            let schema = try #require(try ScriptSchemas.read(values).first)
            #expect(schema.replicas[0].deletionProtection == true)
            #expect(schema.replicas[0].pointInTimeRecovery == false)
            #expect(schema.replicas[0].tags == .propagate)
            #expect(schema.replicas[1].tags == .given(["owner": "emea"]))
            #expect(schema.replicas[1].deletionProtection == nil)
        }
    }

    @Test func aReplicasTagsAreCheckedAsTheTables() throws {
        let values = try sentinelState().run(
            """
            local s = sentinel.schema.sessions { stream = "NEW_AND_OLD_IMAGES" }
            s.replicas = { { region = "us-west-2", tags = { ["aws:x"] = "y" } }, { region = "eu-west-1", tags = "all" } }
            return sentinel.validate(s)
            """, name: "t.lua")
        let problems = values.dropFirst().first?.stringValue ?? ""
        #expect(
            problems.contains("replicas[1].tags[\"aws:x\"]: tag keys starting with 'aws:' are reserved"),
            "\(problems)")
        #expect(
            problems.contains("replicas[2].tags: \"propagate\" or table expected, got 'all'"), "\(problems)")
    }

    @Test func strongConsistencyWithAWitnessReads() throws {
        let values = try sentinelState().run(
            """
            return sentinel.schema.sessions {
              multi_region_consistency = "STRONG", replicas = { { region = "us-east-2" } },
              witness = { region = "us-west-2" },
            }
            """, name: "s.lua")
        let schema = try #require(try ScriptSchemas.read(values).first)
        #expect(schema.multiRegionConsistency == .strong)
        #expect(schema.witnessRegion == "us-west-2")
    }

    @Test func mistakesAreNamedByPath() throws {
        for values in try runBothWays(
            """
            local s = sentinel.schema.sessions()
            s.replicas = { { region = "us-west-2", class = "X", gsis = { nope = { read_capacity = "3" } } }, "us-east-2" }
            s.witness = { region = 5 }
            return sentinel.validate(s)
            """)
        {
            let problems = values.dropFirst().first?.stringValue ?? ""
            #expect(problems.contains("replicas[1].class: unknown field"), "\(problems)")
            #expect(problems.contains("replicas[1].gsis[\"nope\"].read_capacity"), "\(problems)")
            #expect(problems.contains("replicas[2]: table expected, got string"), "\(problems)")
            #expect(problems.contains("witness.region: string expected, got number"), "\(problems)")
        }
    }

    /// What a table has and a replica cannot override is named as such, with where it belongs, at its
    /// path in `sentinel.validate` and at the script's line in a constructor.
    @Test func aTableWideFieldOnAReplicaSaysWhereItBelongs() throws {
        for values in try runBothWays(
            """
            local s = sentinel.schema.sessions { stream = "NEW_AND_OLD_IMAGES" }
            s.replicas = { { region = "us-west-2", warm_throughput = { read_units = 20000 },
              on_demand_throughput = { max_write = 5 },
              gsis = { ["gsi-user"] = { warm_throughput = { read_units = 20000 }, write_capacity = 5 } } } }
            return sentinel.validate(s)
            """)
        {
            let problems = values.dropFirst().first?.stringValue ?? ""
            #expect(
                problems.contains(
                    "replicas[1].warm_throughput: not allowed here: warm throughput is the table's in every region"
                ),
                "\(problems)")
            #expect(
                problems.contains(
                    "replicas[1].gsis[\"gsi-user\"].warm_throughput: not allowed here: warm throughput is the table's"
                ),
                "\(problems)")
            #expect(
                problems.contains(
                    "replicas[1].gsis[\"gsi-user\"].write_capacity: not allowed here: writes are the table's"),
                "\(problems)")
            #expect(
                problems.contains(
                    "replicas[1].on_demand_throughput.max_write: not allowed here: writes are the table's"),
                "\(problems)")
        }
        for (body, name) in [
            (
                "return sentinel.schema.sessions {\n stream = 'NEW_AND_OLD_IMAGES',\n replicas = { { region = 'us-west-2',\n warm_throughput = { read_units = 9 } } } }",
                "c.lua"
            ),
            (
                "local co = coroutine.create(function() return sentinel.schema.sessions {\n stream = 'NEW_AND_OLD_IMAGES',\n replicas = { { region = 'us-west-2',\n warm_throughput = { read_units = 9 } } } } end)\nlocal ok, e = coroutine.resume(co)\nerror(e, 0)",
                "co.lua"
            ),
        ] {
            #expect(throws: LuaError.self) { try sentinelState().run(body, name: name) }
            do {
                _ = try sentinelState().run(body, name: name)
            } catch {
                #expect("\(error)".contains("\(name):4:"), "\(error)")
                #expect("\(error)".contains("warm throughput is the table's in every region"), "\(error)")
            }
        }
    }
}

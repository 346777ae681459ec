import Lua
import Schema
import SentinelScript
import Testing

/// A multi-account global table in scripts (`account`, `target` on a replica, `settings_replication` on
/// the table): read as given, written back the same way, validated by field path; each also from inside a
/// coroutine.
@Suite struct AccountReplicaFieldTests {
    static let multiAccount = """
        local s = sentinel.schema.sessions {
          stream = "NEW_AND_OLD_IMAGES", settings_replication = "ENABLED",
          replicas = { { region = "us-west-2", account = "444455556666", target = "dr" } },
        }
        """

    @Test func accountReplicasReadAndValidate() throws {
        for values in try runBothWays(Self.multiAccount + "\nreturn s, sentinel.validate(s)") {
            let schema = try #require(try ScriptSchemas.read(Array(values.prefix(1))).first)
            #expect(schema.replicas == [Replica(region: "us-west-2", account: "444455556666", target: "dr")])
            #expect(schema.settingsReplication == .enabled)
            #expect(values.dropFirst().first == .boolean(true))
        }
    }

    @Test func aScriptSeesTheAccountItGave() throws {
        for values in try runBothWays(
            Self.multiAccount + "\nlocal copy = sentinel.schema.sessions(s)\n"
                + "return copy.replicas[1].account, copy.replicas[1].target, copy.settings_replication")
        {
            #expect(values == [.string("444455556666"), .string("dr"), .string("ENABLED")])
        }
    }

    @Test func validationFromACoroutineNamesEachProblemByPath() throws {
        for values in try runBothWays(
            """
            local s = sentinel.schema.sessions {
              stream = "NEW_AND_OLD_IMAGES", settings_replication = "DISABLED",
              replicas = {
                { region = "us-west-2", account = "4444", target = "dr" },
                { region = "eu-west-1", account = "777788889999", read_capacity = 5 },
              },
            }
            return sentinel.validate(s)
            """)
        {
            let problems = values.dropFirst().first?.stringValue ?? ""
            #expect(values.first == .nil)
            #expect(problems.contains("replicas[1].account: invalid account '4444'"), "\(problems)")
            #expect(problems.contains("replicas[2].target: target is required with account"), "\(problems)")
            #expect(problems.contains("replicas[2].read_capacity:"), "\(problems)")
            #expect(problems.contains("settings_replication: a multi-account global table"), "\(problems)")
        }
    }

    @Test func aWrongTypeIsNamedByPath() throws {
        let values = try sentinelState().run(
            """
            local s = sentinel.schema.sessions { stream = "NEW_AND_OLD_IMAGES" }
            s.replicas = { { region = "us-west-2", account = 444455556666, target = "dr" } }
            return sentinel.validate(s)
            """, name: "t.lua")
        let problems = values.dropFirst().first?.stringValue ?? ""
        #expect(problems.contains("replicas[1].account"), "\(problems)")
    }
}

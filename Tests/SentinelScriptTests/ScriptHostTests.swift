import DynamoDB
import Foundation
import Lua
import Provisioning
import Schema
import SentinelScript
import Synchronization
import Testing

/// The embedding API: a host runs scripts with the caller's functions, hands back what they returned,
/// and lets Swift plan and apply with the same results the script functions give.
@Suite struct ScriptHostTests {
    /// A host with no AWS access and its output collected.
    static func pureHost(output: CollectedOutput? = nil) throws -> ScriptHost {
        try ScriptHost(ScriptHostConfiguration(aws: nil, output: output?.output))
    }

    /// A tag policy, as an embedding program would register it: `acme.tags_for(owner)`.
    static var tagPolicy: [String: LuaHostFunction] {
        [
            "tags_for": { call in
                let owner = try call.string(1)
                let centres = ["platform": "cc-1001", "payments": "cc-2002"]
                guard let centre = centres[owner] else {
                    throw call.argumentError(1, "unknown owner '\(owner)'")
                }
                return try call.returning(
                    .map([.text("owner"): .text(owner), .text("cost-center"): .text(centre)]))
            }
        ]
    }

    @Test func registeredFunctionsAreCallableAndTheirErrorsNameTheScriptLine() throws {
        let host = try Self.pureHost()
        try host.register(module: "acme", functions: Self.tagPolicy)
        let result = try host.run(
            "local tags = acme.tags_for(...)\nreturn tags.owner, tags['cost-center'], require('acme') == acme",
            arguments: ["payments"])
        #expect(result.values == [.text("payments"), .text("cc-2002"), .boolean(true)])

        let error = luaError {
            _ = try host.run("local x = 1\n\nacme.tags_for('nobody')\n", name: "policy.lua")
        }
        #expect(error?.message == "policy.lua:3: bad argument #1 to 'acme.tags_for' (unknown owner 'nobody')")
        let typeError = luaError { _ = try host.run("acme.tags_for({})", name: "t.lua") }
        #expect(
            typeError?.message.hasPrefix("t.lua:1: bad argument #1 to 'acme.tags_for' (string expected")
                == true)
    }

    @Test func returnedSchemasArriveAsTableSchemas() throws {
        let host = try Self.pureHost()
        try host.register(module: "acme", functions: Self.tagPolicy)
        let schemas = try host.run(
            """
            local schemas = { sentinel.schema.approvals(), sentinel.schema.sessions { name = "s-dev" } }
            for _, s in ipairs(schemas) do s.tags = acme.tags_for("platform") end
            return schemas
            """
        ).schemas()
        #expect(schemas.map(\.name) == ["sentinel-requests", "s-dev"])
        var expected = BuiltInSchema.sessions.schema(name: "s-dev")
        expected.tags = ["owner": "platform", "cost-center": "cc-1001"]
        #expect(schemas.last == expected)
        #expect(throws: ScriptSchemas.ReadError.self) { try host.run("return 42").schemas() }
    }

    @Test func twoHostsShareNothing() throws {
        let first = try Self.pureHost()
        let second = try Self.pureHost()
        try first.register(module: "acme", functions: Self.tagPolicy)
        _ = try first.run("shared = 'first'; sentinel.extra = true")
        let seen = try second.run("return shared, acme, sentinel.extra, package.loaded.acme").values
        #expect(seen == [.nil, .nil, .nil, .nil])
        #expect(try first.run("return shared").values == [.text("first")])
    }

    @Test func printAndIOWriteGoToTheConfiguredOutput() throws {
        let collected = CollectedOutput()
        let host = try Self.pureHost(output: collected)
        _ = try host.run(
            """
            print("a", 1, nil, setmetatable({}, { __tostring = function() return "T" end }))
            io.write("b", 2.5, "\\n"):write("c")
            """)
        #expect(collected.text == "a\t1\tnil\tT\nb2.5\nc")
        let error = luaError { _ = try host.run("io.write({})", name: "w.lua") }
        #expect(error?.message == "w.lua:1: bad argument #1 to 'write' (string expected, got table)")
    }

    @Test func withoutAWSTheFunctionsThatNeedItSaySo() async throws {
        let error = try await ScriptHost.withHost(ScriptHostConfiguration(aws: nil)) { host in
            luaError { _ = try host.run("sentinel.status('t')", name: "s.lua") }?.message
        }
        #expect(error == "s.lua:1: sentinel.status needs AWS access, which this script was not given")
        let host = try Self.pureHost()
        await #expect(throws: DynamoDBError.self) { _ = try await host.tables.status(["t"]) }
    }

    @Test func cancellingTheTaskInterruptsTheScript() async throws {
        let task = Task {
            try await ScriptHost.withHost(ScriptHostConfiguration(aws: nil)) { host in
                try host.run("while true do end")
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("the endless script returned")
        } catch let error as LuaError {
            #expect(error.kind == .interrupted)
        } catch is CancellationError {
            // Cancelled before the script started: also a clean stop.
        }
    }

    @Test func swiftAndLuaProvisionTheSameTables() async throws {
        let endpoint = try LocalData.endpoint()
        let name = LocalData.uniqueName("host")
        let configuration = ScriptHostConfiguration(
            aws: .init(
                region: "us-east-1", endpoint: endpoint,
                credentialProvider: StaticCredentialProvider(
                    AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing"))))
        let host = try ScriptHost(configuration)
        let schema = BuiltInSchema.breakglass.schema(name: name)

        let offline = host.tables.offlinePlan([schema])
        #expect(PlanReport.hasChanges(offline))
        let applied = try await host.tables.apply([schema])
        #expect(applied.map(\.status) == [.created], "\(applied)")
        let again = try await host.tables.plan([schema])
        #expect(!PlanReport.hasChanges(again))

        // The script functions see the same table on the same connection, and agree.
        let fromLua = try await ScriptHost.withHost(configuration) { other in
            try other.run(
                "local plans = sentinel.plan(sentinel.schema.breakglass { name = ... })\n"
                    + "return #plans[1].actions, sentinel.status(...).status",
                arguments: [name]
            ).values
        }
        #expect(fromLua == [.integer(0), .text("ACTIVE")])
        let live = try await host.tables.status([name])
        #expect(try live.first?.get()?.status == "ACTIVE")

        let deleted = try await host.tables.delete([name])
        #expect(deleted.count == 1 && deleted[0] == nil)
        let gone = try await host.tables.status([name])
        #expect(try gone.first?.get() == nil)
        await host.shutdown()
    }
}

/// What a host's scripts wrote, collected.
final class CollectedOutput: Sendable {
    private let bytes = Mutex<[UInt8]>([])

    var output: ScriptOutput {
        ScriptOutput { [self] written in bytes.withLock { $0 += written } }
    }

    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
}

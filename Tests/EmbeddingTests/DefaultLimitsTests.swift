import DynamoDB
import Lua
import SentinelREPL
import SentinelScript
import Testing

/// Every entry point that runs Lua has limits unless the caller passes others: `LuaLimits.standard`
/// (256 MB, no time limit); `.none` only when asked for by name. AWS calls are bounded per attempt.
@Suite struct DefaultLimitsTests {
    /// More than the default cap, less than a test machine can spare.
    static let overTheCap = "return #string.rep('x', 300 << 20)"

    @Test func theDefaultsAreTheStandardLimits() throws {
        #expect(LuaLimits.standard == LuaLimits(memoryBytes: 256 << 20))
        #expect(LuaConfiguration().limits == .standard)
        #expect(ScriptHostConfiguration().limits == .standard)
        #expect(try LuaState().configuration.limits == .standard)
        #expect(try ScriptHost().configuration.limits == .standard)
        #expect(Fleet(targets: [Target(name: "dev")]).members[0].configuration.limits == .standard)
    }

    @Test func aBareStateStopsAScriptOverTheDefaultCap() throws {
        let state = try LuaState()
        #expect(throws: LuaError.self) { try state.run(Self.overTheCap, name: "big") }
        do {
            _ = try state.run(Self.overTheCap, name: "big")
        } catch let error as LuaError {
            #expect(error.kind == .memory)
        }
        #expect(try state.run("return 1 + 1", name: "after") == [.integer(2)])
    }

    @Test func aHostStopsAScriptOverTheDefaultCap() throws {
        let host = try ScriptHost(ScriptHostConfiguration(aws: nil))
        do {
            _ = try host.run(Self.overTheCap)
            Issue.record("ran past the default memory cap")
        } catch let error as LuaError {
            #expect(error.kind == .memory)
        }
    }

    @Test func withHostHasTheDefaultCap() async throws {
        let kind = try await ScriptHost.withHost(ScriptHostConfiguration(aws: nil)) { host in
            do {
                _ = try host.run(Self.overTheCap)
                return LuaError.Kind?.none
            } catch let error as LuaError {
                return error.kind
            }
        }
        #expect(kind == .memory)
    }

    @Test func noneIsNoLimitWhenAskedForByName() throws {
        let host = try ScriptHost(ScriptHostConfiguration(aws: nil, limits: .none))
        #expect(host.lua.memoryAvailable == nil)
    }

    @Test func theREPLRunsUnderItsStatesLimits() throws {
        let state = try LuaState()
        _ = try REPL(state: state)
        #expect(state.configuration.limits == .standard)
    }

    /// Each attempt of an AWS call has a connect timeout of 5 s and a read timeout of 60 s
    /// (botocore's read timeout; a stricter connect), four attempts (the SDKs' DynamoDB default since
    /// their 2026 retry defaults); no call timeout unless given.
    @Test func awsCallsAreBoundedPerAttemptByDefault() throws {
        let resolved = try DynamoDBConfiguration.resolve(
            .init(
                region: "eu-west-1",
                credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret")),
            environment: [:])
        #expect(resolved.connectTimeout == .seconds(5))
        #expect(resolved.requestTimeout == .seconds(60))
        #expect(resolved.retryPolicy.maxAttempts == 4)
        #expect(resolved.retryPolicy.mode == .standard)
        #expect(resolved.callTimeout == nil)
    }
}

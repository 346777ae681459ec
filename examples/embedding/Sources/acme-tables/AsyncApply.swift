import DynamoDB
import Lua
import Provisioning
import SentinelScript

/// Running a script, then applying its tables, from async code: the README's example, kept here so
/// that the tests build it (EmbeddingExampleTests checks that the README shows exactly the lines
/// between the markers).
enum AsyncApply {
    static func applyTables() async throws -> [ApplyResult] {
        // README begin
        let configuration = ScriptHostConfiguration(aws: .init(region: "eu-west-1"))
        // `run` blocks its thread, so from async code a script runs on a host thread of its own.
        let schemas = try await ScriptHost.withHost(configuration) { host in
            try host.register(module: "acme", functions: ["tags_for": TagPolicy.tagsFor])
            return try host.run(file: "tables.lua", arguments: ["prod"]).schemas()
        }
        let host = try ScriptHost(configuration)  // `host.tables` is Sendable and async
        let results = try await host.tables.apply(schemas)
        await host.shutdown()
        // README end
        return results
    }

    /// docs/embedding.md's configuration with every initialiser label, compiled here for the same
    /// reason (the test checks the document shows the lines between the markers).
    static func configurationWithEveryLabel() -> ScriptHostConfiguration {
        // embedding.md begin
        let configuration = ScriptHostConfiguration(
            aws: DynamoDBConfiguration.Options(  // default .init(): found as the CLI finds it; nil: no AWS
                region: "eu-west-1", profile: "deploy", endpoint: nil,  // endpoint: "http://127.0.0.1:8000"
                credentials: nil, credentialProvider: nil, retryPolicy: .standard),
            limits: LuaLimits(memoryBytes: 64 << 20, time: .seconds(300)),  // default .none
            modulePaths: [],  // where `require` looks after the script's directory
            sandboxed: true,
            output: nil,  // nil: print goes to standard output
            events: { _ in },  // apply and delete progress
            waitPolicy: WaitPolicy())  // how apply waits for tables to settle
        // embedding.md end
        return configuration
    }
}

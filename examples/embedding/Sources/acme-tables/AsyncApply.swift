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
                credentials: nil, credentialProvider: nil, retryPolicy: nil),  // nil: as AWS_RETRY_MODE says
            limits: LuaLimits(memoryBytes: 64 << 20, time: .seconds(300)),  // default .standard: 256 MB
            modulePaths: [],  // where `require` looks after the script's directory
            sandboxed: true,
            output: nil,  // nil: print goes to standard output
            events: { _ in },  // apply and delete progress
            waitPolicy: WaitPolicy(),  // how apply waits for tables to settle
            target: nil, targets: [],  // sentinel.target and sentinel.targets() (a Fleet sets them)
            watchdog: nil)  // .seconds(5): end the process if a run outlives its stop by 5 s (the CLI's)
        // embedding.md end
        return configuration
    }

    /// docs/embedding.md's fleet: every target of a targets file planned, then applied but for the
    /// protected ones; compiled here for the same reason.
    static func applyEverywhere() async throws -> [TargetRun<[ApplyResult]>] {
        // fleet begin
        let targets = try await TargetsFile.load(file: "targets.lua")  // or [Target(name: "dev", ...), ...]
        let fleet = Fleet(targets: targets, configuration: ScriptHostConfiguration(), parallel: 4) {
            target, event in
            print("[\(target.name)] \(event)")  // each target's apply and delete progress
        }
        let planned = await fleet.plan(script: "tables.lua")  // one TargetRun per target, in order
        print(FleetReport.planText(planned), terminator: "")
        let applied = await fleet.apply(planned.filter { !$0.target.isProtected })  // the targets you choose
        print(FleetReport.applyText(applied), terminator: "")
        await fleet.shutdown()
        // fleet end
        return applied
    }
}

import ArgumentParser
import DynamoDB
import Lua
import Provisioning
import SentinelScript

/// The options of every command that runs a Lua script, and the one way those commands run it: in the
/// sandbox, with the `sentinel` module, limits and Ctrl-C routed to the script.
struct ScriptOptions: ParsableArguments {
    @OptionGroup var limits: LimitOptions

    @Option(
        name: .customLong("lua-path"),
        help: "A directory `require` searches after the script's own (repeatable).")
    var luaPaths: [String] = []

    /// How long a script may go on past `--timeout` or Ctrl-C, where the limits cannot reach it (a
    /// finalizer, a blocked write), before the process ends by itself: never a hang.
    static let watchdog: Duration = .seconds(5)

    /// Where a script's `print` and `io.write` go while a command's standard output is machine-readable
    /// (`plan --json`, `apply --json`, `schema`, `iam`): standard error, so that a script's chatter
    /// never breaks the JSON (or Lua) another tool reads.
    static let outputToStandardError = ScriptOutput { StandardError.write(bytes: $0) }

    /// ``outputToStandardError`` when `machineReadable`, otherwise nil (the process's standard output).
    static func output(machineReadable: Bool) -> ScriptOutput? {
        machineReadable ? outputToStandardError : nil
    }

    /// The script host these options describe: with AWS access when `aws` is given, progress of
    /// apply and delete to `events`, the script's `print` to `output` (nil: standard output).
    func host(
        aws: DynamoDBConfiguration.Options?, waitPolicy: WaitPolicy = WaitPolicy(),
        events: @escaping ProvisioningEventHandler = { _ in }, output: ScriptOutput? = nil,
        announce: DynamoDBConfiguration.Announcement? = nil, readBudget: CapacityBudget? = nil
    ) throws -> ScriptHost {
        try Self.host(
            aws: aws, luaPaths: luaPaths, limits: limits.luaLimits, waitPolicy: waitPolicy, events: events,
            announce: announce, output: output, readBudget: readBudget)
    }

    /// Prints the caller line (``CallerReport/headerLine``) on standard error: the announcement of
    /// every command that runs a script and then acts, before the first request either of them sends.
    static let callerLine: DynamoDBConfiguration.Announcement = { client async throws(DynamoDBError) in
        let report = try await CallerReport.gather(client, toleratingSTS: true)
        StandardError.write("\(report.headerLine)\n")
    }

    /// The same from plain values, for the start-up fast path that parses no options (``PlainRun``).
    static func host(
        aws: DynamoDBConfiguration.Options?, luaPaths: [String], limits: LuaLimits,
        waitPolicy: WaitPolicy = WaitPolicy(), events: @escaping ProvisioningEventHandler = { _ in },
        announce: DynamoDBConfiguration.Announcement? = nil, output: ScriptOutput? = nil,
        readBudget: CapacityBudget? = nil
    ) throws -> ScriptHost {
        var aws = aws
        aws?.announce = announce
        var configuration = ScriptHostConfiguration(
            aws: aws, limits: limits, modulePaths: luaPaths, output: output, events: events,
            waitPolicy: waitPolicy, watchdog: watchdog)
        configuration.readBudget = readBudget
        return try ScriptHost(configuration)
    }

    /// The configuration of the hosts these options describe, for a fleet of targets (each target's
    /// host is made from it).
    func configuration(
        aws: DynamoDBConfiguration.Options, waitPolicy: WaitPolicy = WaitPolicy(), output: ScriptOutput? = nil
    ) -> ScriptHostConfiguration {
        ScriptHostConfiguration(
            aws: aws, limits: limits.luaLimits, modulePaths: luaPaths, output: output, waitPolicy: waitPolicy,
            watchdog: Self.watchdog)
    }

    /// Runs `script` on `host` with Ctrl-C routed to it (``Interrupts``: the script stops with
    /// `interrupted!`, also while it waits for AWS) and returns what it returned; a script error is
    /// reported and becomes the exit code.
    static func run(_ script: String, arguments: [String] = [], on host: ScriptHost) throws -> ScriptResult {
        let handle = host.interruptHandle
        do {
            return try Interrupts.routing(
                to: { handle.interrupt() }, during: { try host.run(file: script, arguments: arguments) })
        } catch let error as LuaError {
            throw ScriptFailure.report(error, script: script)
        }
    }
}

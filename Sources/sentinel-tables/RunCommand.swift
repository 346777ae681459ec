import ArgumentParser
import DynamoDB
import Lua
import SentinelScript

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Lua script.",
        discussion: """
            The script sees its arguments as `...` and as arg[1], arg[2], ...; arg[0] is the script. \
            A first line starting with # is skipped. Exit status: 0 on success, 1 on a script error \
            (message and traceback on stderr), 2 on a usage error, 130 when interrupted.
            """
    )

    @OptionGroup var scriptOptions: ScriptOptions
    @OptionGroup var aws: AWSOptions

    @Argument(help: "The Lua script to run.")
    var script: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the script.")
    var arguments: [String] = []

    func validate() throws {
        try ScriptArguments.check(arguments, script: script)
    }

    func run() throws {
        // In run(), not validate(): see ScriptPath.
        try ScriptPath.check(script)
        try Self.run(
            script, arguments: ScriptArguments.forScript(arguments), aws: aws.options,
            luaPaths: scriptOptions.luaPaths,
            limits: scriptOptions.limits.luaLimits)
    }

    /// Runs `script` as `run` does; ``PlainRun`` calls this directly with the defaults.
    static func run(
        _ script: String, arguments: [String], aws: DynamoDBConfiguration.Options, luaPaths: [String],
        limits: LuaLimits
    ) throws {
        // Who is about to act, and where, said before the script's first request (as apply says it
        // before its first): only when the script reaches AWS at all.
        let host = try ScriptOptions.host(
            aws: aws, luaPaths: luaPaths, limits: limits, events: ProgressLog().handle,
            announce: ScriptOptions.callerLine)
        defer { host.shutdownAndWait() }
        _ = try ScriptOptions.run(script, arguments: arguments, on: host)
    }
}

/// `--memory-limit` and `--timeout`, shared by the commands that run scripts.
struct LimitOptions: ParsableArguments {
    // Unconditional parsing: `--timeout -5` is a bad value to report as such, not a missing one.
    @Option(
        parsing: .unconditional, help: "Stop the script when it holds more than this many megabytes.",
        transform: OptionRange.wholeNumber(
            "--memory-limit", in: 1...OptionRange.maximumMegabytes, note: OptionRange.megabytesNote))
    var memoryLimit: Int?

    @Option(parsing: .unconditional, help: "Stop the script after this many seconds.")
    var timeout: Double?

    func validate() throws {
        try OptionRange.checkSeconds(timeout, option: "--timeout")
    }

    /// The limits, once ``validate()`` has let the numbers through (a value it refused is left out
    /// here rather than trapping).
    var luaLimits: LuaLimits {
        LuaLimits(
            memoryBytes: memoryLimit.map { OptionRange.bytes(megabytes: $0) },
            time: try? OptionRange.duration(timeout, option: "--timeout")
        )
    }
}

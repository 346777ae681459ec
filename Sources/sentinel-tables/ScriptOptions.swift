import ArgumentParser
import Lua
import SentinelScript

/// The options of every command that runs a Lua script, and the one way those commands run it: in the
/// sandbox, with the `sentinel` module, limits and Ctrl-C routed to the script.
struct ScriptOptions: ParsableArguments {
    @OptionGroup var limits: LimitOptions

    @Option(
        name: .customLong("lua-path"),
        help: "A directory `require` searches after the script's own (repeatable).")
    var luaPaths: [String] = []

    /// Runs `script` and returns what it returned; a script error is reported and becomes the exit code.
    func run(_ script: String, arguments: [String] = [], services: SentinelServices = SentinelServices())
        throws
        -> [LuaValue]
    {
        try Self.run(
            script, arguments: arguments, services: services, luaPaths: luaPaths, limits: limits.luaLimits)
    }

    /// The same from plain values, for the start-up fast path that parses no options (``PlainRun``).
    static func run(
        _ script: String, arguments: [String], services: SentinelServices, luaPaths: [String],
        limits: LuaLimits
    ) throws -> [LuaValue] {
        let state = try LuaState(LuaConfiguration(modulePaths: luaPaths, limits: limits))
        do {
            try SentinelModule.install(into: state, services: services)
            return try state.routingInterrupts {
                try state.run(file: script, arguments: arguments)
            }
        } catch let error as LuaError {
            throw ScriptFailure.report(error, script: script)
        }
    }
}

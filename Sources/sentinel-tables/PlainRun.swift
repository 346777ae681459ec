#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `sentinel-tables run SCRIPT [ARGS...]` with no options, as a `#!/usr/bin/env sentinel-tables run`
/// line starts a script: run without ArgumentParser, whose reflection over every command's options is
/// most of the tool's start-up time. Anything else (an option, a script that cannot be read, `help`)
/// takes the usual path, so messages and validation stay in one place.
struct PlainRun {
    let script: String
    let arguments: [String]

    /// The script and its arguments when `commandLine` is exactly this shape; nil otherwise.
    init?(_ commandLine: [String]) {
        guard commandLine.count >= 3, commandLine[1] == "run" else { return nil }
        let script = commandLine[2]
        // Options of `run` go before the script: one in the script's place means the usual path.
        guard !script.hasPrefix("-"), script != "help", ScriptPath.isReadableFile(script) else { return nil }
        // One of run's own options after the script is refused, with its message, on the usual path.
        let given = Array(commandLine.dropFirst(3))
        guard ScriptArguments.misplacedOption(in: given) == nil else { return nil }
        self.script = script
        arguments = ScriptArguments.forScript(given)
    }

    func run() throws {
        try RunCommand.run(
            script, arguments: arguments,
            aws: AWSOptions.options(
                region: nil, profile: nil, endpointURL: nil, awsTimeout: nil, verbose: false),
            luaPaths: [], limits: .none)
    }
}

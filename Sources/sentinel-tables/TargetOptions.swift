import ArgumentParser
import Lua
import SentinelScript

/// `--target NAME`, `--all-targets`, `--targets FILE` and `--parallel N`: plan, apply, status and
/// delete on named targets of a targets file (each with its own profile, region, account guard and
/// script arguments) instead of the one the AWS options describe.
struct TargetOptions: ParsableArguments {
    @Option(
        name: .customLong("target"),
        help: ArgumentHelp("Run on this target of the targets file (repeatable).", valueName: "NAME"))
    var names: [String] = []

    @Flag(name: .customLong("all-targets"), help: "Run on every target of the targets file.")
    var all = false

    @Option(
        name: .customLong("targets"),
        help: ArgumentHelp(
            "The targets file, Lua returning named targets (default: targets.lua).", valueName: "FILE"))
    var file: String?

    @Option(
        parsing: .unconditional, help: "With targets: how many run at once (1 to 64).",
        transform: OptionRange.wholeNumber("--parallel", in: 1...64))
    var parallel: Int = 4

    /// Whether the command runs on targets rather than on the AWS options alone.
    var areChosen: Bool { all || !names.isEmpty }

    var path: String { file ?? "targets.lua" }

    func validate() throws {
        if all, !names.isEmpty { throw ValidationError("--target and --all-targets cannot be used together") }
        if file != nil, !areChosen {
            throw ValidationError(
                "--targets names the targets file: choose targets with --target NAME or --all-targets")
        }
    }

    /// The targets chosen, in the order named (every target, by name, with `--all-targets`). The
    /// file runs in the scripts' sandbox under `limits`; a file that cannot be read and a target not
    /// in it are usage errors, a Lua error or an invalid target is reported (status 1).
    func chosen(limits: LuaLimits) throws -> [Target] {
        try loaded(limits: limits).chosen
    }

    /// ``chosen(limits:)`` and every target of the file (a multi-account replica's `target` may name one
    /// that is not chosen).
    func loaded(limits: LuaLimits) throws -> (chosen: [Target], all: [Target]) {
        guard ScriptPath.isReadableFile(path) else {
            throw ValidationError(
                "cannot read targets file '\(path)'"
                    + (file == nil ? " (name another with --targets FILE)" : ""))
        }
        let targets: [Target]
        do {
            targets = try TargetsFile.load(file: path, limits: limits, watchdog: ScriptOptions.watchdog)
        } catch let error as LuaError {
            throw ScriptFailure.report(error, script: path)
        } catch let error as TargetsFile.ReadError {
            StandardError.write("\(error)\n")
            throw ExitCode(ExitStatus.scriptError)
        }
        if all { return (targets, targets) }
        var chosen: [Target] = []
        for name in names {
            guard let target = targets.first(where: { $0.name == name }) else {
                let known = targets.map(\.name)
                let suggestion = LuaOptions.closestName(to: name, among: known).map {
                    " (did you mean '\($0)'?)"
                }
                throw ValidationError(
                    "unknown target '\(name)' in \(path)\(suggestion ?? ""); its targets: "
                        + known.joined(separator: ", "))
            }
            if !chosen.contains(target) { chosen.append(target) }
        }
        return (chosen, targets)
    }

    /// A usage error when the command line also gives the script's arguments, which targets give.
    static func refuseArguments(_ arguments: [String]) throws {
        guard !arguments.isEmpty else { return }
        throw ValidationError(
            "with --target or --all-targets the script's arguments come from each target's args in the "
                + "targets file; remove '\(arguments.joined(separator: " "))'")
    }
}

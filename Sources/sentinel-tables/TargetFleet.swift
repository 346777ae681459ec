import ArgumentParser
import DynamoDB
import Lua
import SentinelScript

/// The command side of running on targets: the fleet for the chosen targets, with progress lines
/// prefixed by the target, and what a run's outcome means for the exit status.
enum TargetFleet {
    /// Targets loaded under these limits when the command has no script options of its own.
    static let fileLimits = TargetsFile.defaultLimits

    static func make(
        _ options: TargetOptions, configuration: ScriptHostConfiguration, fileLimits: LuaLimits = fileLimits
    ) throws -> Fleet {
        let (targets, all) = try options.loaded(limits: fileLimits)
        let logs = Dictionary(
            uniqueKeysWithValues: targets.map { ($0.name, ProgressLog(prefix: "[\($0.name)] ")) })
        return Fleet(
            targets: targets, configuration: configuration, parallel: options.parallel, replicaTargets: all
        ) { target, event in
            logs[target.name]?.handle(event)
        }
    }

    /// Runs `work` with the fleet, closing its connections after.
    static func using<T>(_ fleet: Fleet, _ work: () throws -> T) rethrows -> T {
        defer { AsyncWork.wait { await fleet.shutdown() } }
        return try work()
    }

    /// The worst of the targets' exit statuses: interrupted, then failed, then pending or changes.
    static func worst(_ statuses: [Int32]) -> Int32 {
        let order: [Int32] = [ExitStatus.interrupted, ExitStatus.scriptError, ExitStatus.pending, 2, 0]
        return order.first { statuses.contains($0) } ?? 0
    }

    /// After Ctrl-C: which targets finished and which did not.
    static func interruptedNotice<Value>(
        _ command: String, _ runs: [TargetRun<Value>], finished: (TargetRun<Value>) -> Bool
    )
        -> String
    {
        let done = runs.filter(finished).map(\.target.name)
        let stopped = runs.filter { !finished($0) }.map(\.target.name)
        return "\(command) interrupted; finished: \(done.isEmpty ? "none" : done.joined(separator: ", "))"
            + "; interrupted: \(stopped.isEmpty ? "none" : stopped.joined(separator: ", "))\n"
    }

    /// A target's failure as an exit status.
    static func status(of failure: TargetFailure) -> Int32 {
        failure.kind == .interrupted ? ExitStatus.interrupted : ExitStatus.scriptError
    }
}

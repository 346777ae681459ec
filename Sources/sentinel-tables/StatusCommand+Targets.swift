import ArgumentParser
import JSON
import SentinelScript

extension StatusCommand {
    /// `status --target NAME... | --all-targets`: the tables of each target under its header.
    func statusOfTargets(_ names: [String]) throws {
        let fleet = try TargetFleet.make(
            targets, configuration: ScriptHostConfiguration(aws: aws.readOnlyOptions(for: "status")))
        let runs = TargetFleet.using(fleet) { AsyncWork.wait { await fleet.status(names) } }
        if json {
            print(JSONWriter(style: .pretty).string(from: FleetReport.statusJSON(runs, names: names)))
        } else {
            print(FleetReport.statusText(runs, names: names), terminator: "")
        }
        if Interrupts.wasInterrupted {
            StandardError.write(TargetFleet.interruptedNotice("status", runs, finished: \.succeeded))
            throw ExitCode(ExitStatus.interrupted)
        }
        let statuses = runs.map { run -> Int32 in
            guard let results = run.value else { return TargetFleet.status(of: run.failure!) }
            let failed = results.contains { result in
                if case .failure = result { return true }
                return false
            }
            return failed ? ExitStatus.scriptError : 0
        }
        let worst = TargetFleet.worst(statuses)
        if worst != 0 { throw ExitCode(worst) }
    }
}

import ArgumentParser
import JSON
import SentinelScript

extension PlanCommand {
    /// `plan --target NAME... | --all-targets`: each target's plan under a header, then one summary
    /// table; the exit status is the worst of the targets'.
    func planTargets() throws {
        try TargetOptions.refuseArguments(arguments)
        let fleet = try TargetFleet.make(
            targets,
            configuration: scriptOptions.configuration(
                aws: aws.readOnlyOptions(for: "plan"), output: ScriptOptions.output(machineReadable: json)))
        let (script, offline) = (script, offline)
        let runs = TargetFleet.using(fleet) {
            AsyncWork.wait { await fleet.plan(script: script, offline: offline) }
        }
        if json {
            print(JSONWriter(style: .pretty).string(from: FleetReport.planJSON(runs)))
        } else {
            print(FleetReport.planText(runs), terminator: "")
        }
        if Interrupts.wasInterrupted {
            StandardError.write(TargetFleet.interruptedNotice("plan", runs, finished: \.succeeded))
            StandardError.write("nothing was changed\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        let statuses = runs.map { run -> Int32 in
            guard let planned = run.value else { return TargetFleet.status(of: run.failure!) }
            if planned.plans.contains(where: { (try? $0.get().blocked.isEmpty) != true }) {
                return ExitStatus.scriptError
            }
            return detailedExitcode && planned.hasChanges ? 2 : 0
        }
        let worst = TargetFleet.worst(statuses)
        if worst != 0 { throw ExitCode(worst) }
    }
}

import ArgumentParser
import JSON
import Provisioning
import SentinelScript

extension ApplyCommand {
    /// `apply --target NAME... | --all-targets`: plans every target (shown on stderr), asks once
    /// (and again by name for each protected target with changes), then converges the targets
    /// concurrently, with progress prefixed by the target, and ends with a table of target, table and
    /// result. The exit status is the worst of the targets'.
    func applyTargets(waitPolicy: WaitPolicy) throws {
        try TargetOptions.refuseArguments(arguments)
        var configuration = scriptOptions.configuration(
            aws: aws.options, waitPolicy: waitPolicy, output: ScriptOptions.output(machineReadable: json))
        // A replica in a protected target is created or deleted only with --yes-protected (apply asks no
        // question for it): without it, that target's connection only reads.
        configuration.protectedReplicaWrites = yesProtected
        let fleet = try TargetFleet.make(targets, configuration: configuration)
        let script = script
        let runs = try TargetFleet.using(fleet) { () throws -> [TargetRun<[ApplyResult]>] in
            let planned = AsyncWork.wait { await fleet.plan(script: script) }
            if Interrupts.wasInterrupted {
                StandardError.write("apply interrupted while planning: nothing was changed\n")
                throw ExitCode(ExitStatus.interrupted)
            }
            StandardError.write(FleetReport.planText(planned))
            let changing = planned.filter { $0.value?.hasChanges == true }
            if !changing.isEmpty, !yes {
                let names = changing.map { "'\($0.target.name)'" }.joined(separator: ", ")
                try Confirmation.require(
                    "Apply these changes to \(changing.count == 1 ? "target" : "targets") \(names)?",
                    refusal: "apply")
            }
            var refused: [String: TargetFailure] = [:]
            for run in changing where run.target.isProtected && !yesProtected {
                refused[run.target.name] = ProtectedTargetConfirmation.refusal(run.target, command: "apply")
            }
            let chosen = planned.filter { refused[$0.target.name] == nil }
            let deleting = yesDeleteReplicas
            let applied = AsyncWork.wait { await fleet.apply(chosen, deletingReplicas: deleting) }
            return planned.map { run in
                if let failure = refused[run.target.name] {
                    return TargetRun(
                        target: run.target, identity: run.identity, region: run.region,
                        outcome: .failure(failure))
                }
                return applied.first { $0.target.name == run.target.name }!
            }
        }
        if json {
            print(JSONWriter(style: .pretty).string(from: FleetReport.applyJSON(runs)))
        } else {
            print(FleetReport.applyText(runs), terminator: "")
        }
        let finished = { (run: TargetRun<[ApplyResult]>) in
            run.value.map { !$0.contains(where: \.wasInterrupted) } ?? false
        }
        if Interrupts.wasInterrupted {
            StandardError.write(TargetFleet.interruptedNotice("apply", runs, finished: finished))
            throw ExitCode(ExitStatus.interrupted)
        }
        let statuses = runs.map { run -> Int32 in
            guard let results = run.value else { return TargetFleet.status(of: run.failure!) }
            if results.contains(where: \.wasInterrupted) { return ExitStatus.interrupted }
            if results.contains(where: { $0.status == .failed }) { return ExitStatus.scriptError }
            if results.contains(where: { $0.status == .pending }) { return ExitStatus.pending }
            return 0
        }
        let worst = TargetFleet.worst(statuses)
        if worst != 0 { throw ExitCode(worst) }
    }
}

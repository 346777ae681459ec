import ArgumentParser
import Provisioning
import SentinelScript

extension DeleteCommand {
    /// `delete TABLE... --target NAME... | --all-targets`: checks the tables on every target; a
    /// target where any is protected or unreadable deletes nothing (the others go on); asks once
    /// (and again by name for each protected target), then deletes on the targets concurrently.
    func deleteOnTargets() throws {
        let fleet = try TargetFleet.make(targets, configuration: ScriptHostConfiguration(aws: aws.options))
        let names = tables
        let statuses = try TargetFleet.using(fleet) { () throws -> [Int32] in
            let checks = AsyncWork.wait { await fleet.deletionChecks(names) }
            if Interrupts.wasInterrupted {
                StandardError.write("delete interrupted while checking the tables: nothing was deleted\n")
                throw ExitCode(ExitStatus.interrupted)
            }
            var statuses: [Int32] = []
            var deletable: [String: [String]] = [:]
            for run in checks {
                let prefix = "[\(run.target.name)] "
                guard let results = run.value else {
                    StandardError.write(prefix + "\(run.failure!.message)\n")
                    statuses.append(TargetFleet.status(of: run.failure!))
                    continue
                }
                var found: [String] = []
                var refusals: [ProvisioningError] = []
                for (name, check) in zip(names, results) {
                    switch check {
                    case .success(.deletable): if !found.contains(name) { found.append(name) }
                    case .success(.notFound):
                        StandardError.write(prefix + "\(name): does not exist, nothing to delete\n")
                    case .failure(let error): refusals.append(error)
                    }
                }
                if !refusals.isEmpty {
                    for refusal in refusals { StandardError.write(prefix + "\(refusal)\n") }
                    StandardError.write(prefix + "Nothing was deleted on target '\(run.target.name)'.\n")
                    statuses.append(ExitStatus.scriptError)
                } else if !found.isEmpty {
                    deletable[run.target.name] = found
                }
            }
            if deletable.isEmpty { return statuses }
            if !yes {
                for run in checks where deletable[run.target.name] != nil {
                    StandardError.write(FleetReport.header(run) + "\n")
                    StandardError.write(Self.warning(deletable[run.target.name]!))
                }
                try Confirmation.require("Delete?", refusal: "delete")
            }
            for run in checks
            where run.target.isProtected && deletable[run.target.name] != nil && !yesProtected {
                if let refusal = ProtectedTargetConfirmation.refusal(run.target, command: "delete") {
                    StandardError.write("[\(run.target.name)] \(refusal.message)\n")
                    deletable[run.target.name] = nil
                    statuses.append(ExitStatus.scriptError)
                }
            }
            let confirmed = deletable
            let deleted = AsyncWork.wait { await fleet.delete(confirmed) }
            var unfinished: [String] = []
            for run in deleted {
                let prefix = "[\(run.target.name)] "
                guard let failures = run.value else {
                    StandardError.write(prefix + "\(run.failure!.message)\n")
                    statuses.append(TargetFleet.status(of: run.failure!))
                    continue
                }
                let names = confirmed[run.target.name] ?? []
                for (name, failure) in zip(names, failures) where failure != nil {
                    if Interrupts.wasInterrupted {
                        unfinished.append("\(run.target.name): \(name)")
                    } else {
                        StandardError.write(prefix + "\(failure!)\n")
                    }
                }
                statuses.append(failures.contains { $0 != nil } ? ExitStatus.scriptError : 0)
            }
            if Interrupts.wasInterrupted {
                // Deleted tables were reported as they went; a DeleteTable sent may still finish.
                StandardError.write(
                    "delete interrupted; not known to be deleted: "
                        + (unfinished.isEmpty ? "none" : unfinished.joined(separator: ", ")) + "\n")
                throw ExitCode(ExitStatus.interrupted)
            }
            return statuses
        }
        let worst = TargetFleet.worst(statuses)
        if worst != 0 { throw ExitCode(worst) }
    }
}

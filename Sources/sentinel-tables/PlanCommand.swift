import ArgumentParser
import JSON
import Provisioning
import SentinelScript

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change, without changing anything.",
        discussion: """
            The script returns a schema or a list of schemas. Each table is compared with its live state: \
            + create, ~ change in place, - delete, -/+ replace (an index). Changes that would need a new \
            table (key schema, LSIs) are shown as blocked. Exit status: 0, or with --detailed-exitcode 2 \
            when there are changes; 1 when a table is blocked or cannot be planned. With --target NAME or \
            --all-targets, on each target of a targets file (its profile, region, account guard and \
            script arguments), concurrently, with one summary.
            """
    )

    @Argument(help: "A Lua script that returns schemas.")
    var script: String

    @Argument(help: "Arguments passed to the script (after `--` when they start with a dash).")
    var arguments: [String] = []

    @Flag(help: "Print the plan as JSON.")
    var json = false

    @Flag(help: "Do not look at AWS: plan every table as new.")
    var offline = false

    @Flag(help: "Exit with 2 when there are changes (0 when there are none).")
    var detailedExitcode = false

    @OptionGroup var aws: AWSOptions
    @OptionGroup var scriptOptions: ScriptOptions
    @OptionGroup var targets: TargetOptions

    func run() throws {
        try ScriptPath.check(script)
        if targets.areChosen { return try planTargets() }
        // --offline promises no AWS calls: the script's functions get none either.
        let host = try scriptOptions.host(
            aws: offline ? nil : aws.readOnlyOptions(for: "plan"),
            output: ScriptOptions.output(machineReadable: json), announce: ScriptOptions.callerLine)
        defer { host.shutdownAndWait() }
        let schemas = try ScriptSchemaLoader.schemas(
            script, arguments: arguments, options: scriptOptions, host: host)
        let plans: [Result<TablePlan, ProvisioningError>]
        if offline {
            plans = Provisioner.offlinePlan(schemas)
        } else {
            try ScriptSchemaLoader.requireValid(schemas)
            let provisioner = try AWSFailure.provisioner(host.tables)
            try AWSFailure.announceCaller(try AWSFailure.client(host.tables), command: "plan")
            plans = AsyncWork.wait { await provisioner.plan(schemas) }
            if Interrupts.wasInterrupted {
                StandardError.write("plan interrupted: nothing was changed\n")
                throw ExitCode(ExitStatus.interrupted)
            }
            try AWSFailure.stopIfEveryTableFailedAlike(plans)
        }
        if json {
            print(JSONWriter(style: .pretty).string(from: PlanReport.json(plans)))
        } else {
            print(PlanReport.text(plans, script: [script] + arguments + aws.given), terminator: "")
        }
        if plans.contains(where: { (try? $0.get().blocked.isEmpty) != true }) {
            throw ExitCode(ExitStatus.scriptError)
        }
        if detailedExitcode, PlanReport.hasChanges(plans) { throw ExitCode(2) }
    }
}

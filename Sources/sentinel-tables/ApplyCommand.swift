import ArgumentParser
import JSON
import Provisioning
import SentinelScript

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create or change tables until they match the schemas a script returns.",
        discussion: """
            Shows the plan, then asks for confirmation on a terminal (without a terminal, --yes is \
            required). Tables converge concurrently; each step waits until the table and its indexes \
            are ACTIVE. Nothing is ever deleted but indexes the schema no longer has, and the replicas it \
            no longer lists, each only once its region is typed (or --yes-delete-replicas); changes that need \
            a new table are refused. Running apply again after any interruption finishes the job. \
            Exit status: 0 when every table matches, 1 when any failed, 3 when a change is PENDING \
            (DynamoDB allows a TTL change an hour after the last: apply again after the time shown), \
            130 when interrupted. With --target NAME or --all-targets, on each target of a targets file, \
            concurrently (--parallel N at once); a protected target asks again by name unless \
            --yes-protected is given.
            """
    )

    @Argument(help: "A Lua script that returns schemas.")
    var script: String

    @Argument(help: "Arguments passed to the script (after `--` when they start with a dash).")
    var arguments: [String] = []

    @Flag(help: "Apply without asking.")
    var yes = false

    @Flag(
        help:
            "With targets: apply to protected targets too without asking for their names, and make or delete replicas through them."
    )
    var yesProtected = false

    @Flag(help: "Delete the replicas the plan deletes (and their items) without asking for each region.")
    var yesDeleteReplicas = false

    @Flag(help: "Print the results as JSON (the plan and progress still go to stderr).")
    var json = false

    @Option(parsing: .unconditional, help: "Give up waiting for a table or index after this many seconds.")
    var waitTimeout: Double = 3600

    @OptionGroup var aws: AWSOptions
    @OptionGroup var scriptOptions: ScriptOptions
    @OptionGroup var targets: TargetOptions

    func validate() throws {
        try OptionRange.checkSeconds(waitTimeout, option: "--wait-timeout")
    }

    func run() throws {
        try ScriptPath.check(script)
        let waitPolicy = WaitPolicy(
            timeout: try OptionRange.duration(waitTimeout, option: "--wait-timeout") ?? .seconds(3600))
        if targets.areChosen { return try applyTargets(waitPolicy: waitPolicy) }
        let host = try scriptOptions.host(
            aws: aws.options, waitPolicy: waitPolicy, events: ProgressLog().handle,
            output: ScriptOptions.output(machineReadable: json), announce: ScriptOptions.callerLine)
        defer { host.shutdownAndWait() }
        let schemas = try ScriptSchemaLoader.schemas(
            script, arguments: arguments, options: scriptOptions, host: host)
        try ScriptSchemaLoader.requireValid(schemas)
        var confirming = try AWSFailure.provisioner(host.tables)
        confirming.confirmReplicaDeletion = ReplicaDeletionConfirmation.confirmer(always: yesDeleteReplicas)
        let provisioner = confirming
        try AWSFailure.announceCaller(try AWSFailure.client(host.tables), command: "apply")
        let plans = AsyncWork.wait { await provisioner.plan(schemas) }
        if Interrupts.wasInterrupted {
            StandardError.write("apply interrupted while planning: nothing was changed\n")
            throw ExitCode(ExitStatus.interrupted)
        }
        try AWSFailure.stopIfEveryTableFailedAlike(plans)
        StandardError.write(PlanReport.text(plans, script: [script] + arguments + aws.given))
        if PlanReport.hasChanges(plans), !yes {
            try Confirmation.require("Apply these changes?", refusal: "apply")
        }
        let results = AsyncWork.wait { await provisioner.apply(schemas) }
        if !Interrupts.wasInterrupted { try AWSFailure.stopIfEveryTableFailedAlike(results.map(\.error)) }
        if json {
            print(JSONWriter(style: .pretty).string(from: ApplyReport.json(results)))
        } else {
            print(ApplyReport.text(results), terminator: "")
        }
        if Interrupts.wasInterrupted || results.contains(where: \.wasInterrupted) {
            throw ExitCode(ExitStatus.interrupted)
        }
        if results.contains(where: { $0.status == ApplyResult.Status.failed }) {
            throw ExitCode(ExitStatus.scriptError)
        }
        if results.contains(where: { $0.status == ApplyResult.Status.pending }) {
            throw ExitCode(ExitStatus.pending)
        }
    }
}

/// Asking before a change: on a terminal, the user must type `yes`; without one, the command refuses
/// (a CI job must say `--yes`).
enum Confirmation {
    static func require(_ question: String, refusal command: String) throws {
        guard isatty(0) != 0 else {
            StandardError.write("sentinel-tables: not on a terminal: run \(command) with --yes to confirm\n")
            throw ExitCode(ExitStatus.scriptError)
        }
        StandardError.write("\(question) Only 'yes' will be accepted: ")
        guard readLine()?.split(separator: " ").joined() == "yes" else {
            StandardError.write("Cancelled; nothing was changed.\n")
            throw ExitCode(ExitStatus.scriptError)
        }
    }
}

import DynamoDB
import Lua
import Provisioning

/// How a ``ScriptHost`` is set up: where AWS is, what limits scripts run under, and where their
/// output and the host's progress go. A value, so one configuration can make many hosts.
public struct ScriptHostConfiguration: Sendable {
    /// Region, profile, endpoint, credentials (or a credential provider), retries and the client's
    /// logger. Nothing is resolved until a script or a Swift caller first reaches AWS. Nil: the host
    /// has no AWS access, and the functions that need it say so (for pure schema work).
    public var aws: DynamoDBConfiguration.Options?
    /// Memory and time limits for each run: `LuaLimits/standard` (256 MB, no time limit) unless given;
    /// `LuaLimits/none` only when passed by name.
    public var limits: LuaLimits
    /// How long a run may go on past its time limit or an interrupt before the process ends (see
    /// `LuaConfiguration/watchdog`); nil, the default, keeps the process whatever a script does.
    public var watchdog: Duration?
    /// Directories `require` searches after the running script's own.
    public var modulePaths: [String]
    /// Whether the Lua standard library is restricted (see `LuaConfiguration/sandboxed`). Keep it on
    /// for scripts you did not write.
    public var sandboxed: Bool
    /// Where `print` and `io.write` go; nil leaves them on the process's standard output.
    public var output: ScriptOutput?
    /// Progress of apply and delete, from scripts and from ``ScriptHost/tables`` alike.
    public var events: ProvisioningEventHandler
    /// How apply waits for tables to settle.
    public var waitPolicy: WaitPolicy
    /// The target scripts run on (`sentinel.target`); nil outside a run with targets. ``Fleet`` sets
    /// it, with the target's AWS options in ``aws``.
    public var target: Target?
    /// The targets of the run (`sentinel.targets()`).
    public var targets: [Target]
    /// The targets a replica in another account may name (`replicas = { { account =, target = } }`):
    /// every target of the targets file, chosen for the run or not; nil for ``targets``.
    public var replicaTargets: [Target]?
    /// The options a replica's target is laid over: the command's own, before the run's target's (whose
    /// account guard allows that target's account only); nil for ``aws``.
    public var replicaBaseAWS: DynamoDBConfiguration.Options?
    /// Whether replicas may be created and deleted through protected targets (`--yes-protected`);
    /// otherwise those targets' connections only read.
    public var protectedReplicaWrites = false
    /// The read budget every Scan and Query of `sentinel.db` keeps to unless the call gives its own
    /// `max_rcu` (`repl --max-rcu`): one bucket for the whole session; nil for none.
    public var readBudget: CapacityBudget?

    public init(
        aws: DynamoDBConfiguration.Options? = .init(), limits: LuaLimits = .standard,
        modulePaths: [String] = [],
        sandboxed: Bool = true, output: ScriptOutput? = nil,
        events: @escaping ProvisioningEventHandler = { _ in },
        waitPolicy: WaitPolicy = WaitPolicy(), target: Target? = nil, targets: [Target] = [],
        watchdog: Duration? = nil
    ) {
        self.watchdog = watchdog
        self.target = target
        self.targets = targets
        self.aws = aws
        self.limits = limits
        self.modulePaths = modulePaths
        self.sandboxed = sandboxed
        self.output = output
        self.events = events
        self.waitPolicy = waitPolicy
    }
}

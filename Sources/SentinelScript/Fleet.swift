import DynamoDB
import Provisioning
import Schema

/// Runs the same work on several targets concurrently, a bounded number at once: the CLI's
/// `--target`/`--all-targets`, and the way a Swift program provisions every account and region in
/// one go.
///
/// ```swift
/// let fleet = Fleet(targets: try TargetsFile.load(file: "targets.lua"), configuration: configuration)
/// let planned = await fleet.plan(script: "bootstrap.lua")
/// let applied = await fleet.apply(planned.filter(\.succeeded))
/// await fleet.shutdown()
/// ```
///
/// Each target has its own ``FleetMember``: its own credentials and client, its own script hosts. A
/// failure on one target (credentials, an account not allowed, a script error, a blocked change) is
/// that target's result and does not stop the others. Cancelling the calling task stops them all:
/// the operation returns promptly (it never throws), each target it had not finished failing with
/// kind `.interrupted` (apply and delete keep the tables' results of a target they started on: they
/// say what was changed). ``shutdown()`` stops an operation under way the same way.
public final class Fleet: Sendable {
    public let members: [FleetMember]
    /// How many targets run at once.
    public let parallel: Int

    /// `configuration` is the base each target's is made from (its `aws` options are overridden by
    /// the target's profile, region, endpoint and account; nil `aws` gives no target AWS access);
    /// `events` receives each target's apply and delete progress with the target. `replicaTargets`
    /// are the targets whose credentials make a multi-account global table's replicas (a replica's
    /// `target` names one): every target of the file, chosen or not; nil for `targets`.
    public init(
        targets: [Target], configuration: ScriptHostConfiguration = ScriptHostConfiguration(),
        parallel: Int = 4, replicaTargets: [Target]? = nil,
        events: @escaping @Sendable (Target, ProvisioningEvent) -> Void = { _, _ in }
    ) {
        self.parallel = max(1, parallel)
        members = targets.map { target in
            var base = configuration
            let forward = configuration.events
            base.events = { event in
                forward(event)
                events(target, event)
            }
            return FleetMember(target: target, targets: targets, base: base, replicaTargets: replicaTargets)
        }
    }

    /// Runs `work` on every member, at most ``parallel`` at once; the outputs in the members' order.
    /// ``shutdown()`` reaches what `work` does through the member (``FleetMember/identify()`` and
    /// ``FleetMember/schemas(script:)`` fail with ``FleetMember/shutDownFailure``, `member.tables`
    /// with the closed connection's error); cancelling the calling task cancels `work`.
    public func onEachMember<Output: Sendable>(
        _ work: @escaping @Sendable (FleetMember) async -> Output
    ) async -> [Output] {
        var outputs = [Output?](repeating: nil, count: members.count)
        await withTaskGroup(of: (Int, Output).self) { group in
            var next = 0
            func start(_ index: Int) {
                let member = members[index]
                group.addTask { (index, await work(member)) }
            }
            while next < min(parallel, members.count) {
                start(next)
                next += 1
            }
            for await (index, output) in group {
                outputs[index] = output
                if next < members.count {
                    start(next)
                    next += 1
                }
            }
        }
        return outputs.map { $0! }
    }

    /// On every target: check who the credentials belong to (the account guard), run `script` with
    /// the target's arguments, and plan its schemas against the live tables (every table as new with
    /// `offline`, which reaches no AWS).
    public func plan(script: String, offline: Bool = false) async -> [TargetRun<TargetPlan>] {
        await onEachMember { member in
            await member.run { () async throws(TargetFailure) -> TargetPlan in
                if !offline { _ = try await member.identify() }
                let schemas = try await member.schemas(script: script)
                if offline { return TargetPlan(schemas: schemas, plans: Provisioner.offlinePlan(schemas)) }
                return TargetPlan(
                    schemas: schemas,
                    plans: try await member.reading { () async throws(DynamoDBError) in
                        try await member.tables.plan(schemas)
                    })
            }
        }
    }

    /// Applies the schemas of each planned target given (a target left out, or whose plan failed,
    /// is not touched), concurrently; one run per target given, in order.
    /// With `deletingReplicas`, the replicas each target's plan deletes (and their items) are deleted
    /// (the CLI's `--yes-delete-replicas`); without it every replica deletion is refused.
    public func apply(_ planned: [TargetRun<TargetPlan>], deletingReplicas: Bool = false) async
        -> [TargetRun<[ApplyResult]>]
    {
        let chosen = Dictionary(planned.map { ($0.target.name, $0) }, uniquingKeysWith: { first, _ in first })
        let runs = await onEachMember { member -> TargetRun<[ApplyResult]>? in
            guard let plan = chosen[member.target.name] else { return nil }
            guard case .success(let planned) = plan.outcome else {
                return TargetRun(
                    target: member.target, identity: plan.identity, region: plan.region,
                    outcome: .failure(plan.failure!))
            }
            return await member.run { () async throws(TargetFailure) -> [ApplyResult] in
                _ = try await member.identify()
                return try await member.acting { () async throws(DynamoDBError) in
                    try await member.tables.apply(
                        planned.schemas,
                        deletingReplicasIn: deletingReplicas ? planned.deletedReplicaRegions : [])
                }
            }
        }
        return runs.compactMap { $0 }
    }

    /// Each table's live state on every target (nil for a table that does not exist).
    public func status(_ names: [String]) async -> [TargetRun<[Result<LiveTable?, ProvisioningError>]>] {
        await onEachMember { member in
            await member.run { () async throws(TargetFailure) -> [Result<LiveTable?, ProvisioningError>] in
                _ = try await member.identify()
                return try await member.reading { () async throws(DynamoDBError) in
                    try await member.tables.status(names)
                }
            }
        }
    }

    /// Whether each table can be deleted on every target (deletion protection, existence).
    public func deletionChecks(_ names: [String]) async -> [TargetRun<
        [Result<DeletionCheck, ProvisioningError>]
    >] {
        await onEachMember { member in
            await member.run { () async throws(TargetFailure) -> [Result<DeletionCheck, ProvisioningError>] in
                _ = try await member.identify()
                return try await member.reading { () async throws(DynamoDBError) in
                    try await member.tables.provisioner().deletionChecks(names)
                }
            }
        }
    }

    /// Deletes, on each target named in `tables`, the tables named for it (concurrently, each waited
    /// for until gone); nil where a table was deleted. Targets not named are not touched.
    public func delete(_ tables: [String: [String]]) async -> [TargetRun<[ProvisioningError?]>] {
        let runs = await onEachMember { member -> TargetRun<[ProvisioningError?]>? in
            guard let names = tables[member.target.name] else { return nil }
            return await member.run { () async throws(TargetFailure) -> [ProvisioningError?] in
                _ = try await member.identify()
                return try await member.acting { () async throws(DynamoDBError) in
                    try await member.tables.delete(names)
                }
            }
        }
        return runs.compactMap { $0 }
    }

    /// Stops every operation under way on every target and closes their AWS connections (which
    /// their script hosts share): an operation under way returns promptly, each target it had not
    /// finished failing with ``FleetMember/shutDownFailure`` (kind `.interrupted`; apply and delete
    /// keep the tables' results of a target they started on), and every operation started
    /// afterwards fails the same way on every target without reaching AWS.
    public func shutdown() async {
        // Every target stops at once, before any connection is waited for.
        for member in members { member.stopWork() }
        _ = await onEachMember { await $0.shutdown() }
    }
}

/// What one target's script planned: its schemas and each table's plan.
public struct TargetPlan: Sendable {
    public var schemas: [TableSchema]
    public var plans: [Result<TablePlan, ProvisioningError>]

    public init(schemas: [TableSchema], plans: [Result<TablePlan, ProvisioningError>]) {
        self.schemas = schemas
        self.plans = plans
    }

    /// Whether applying would change anything.
    public var hasChanges: Bool { PlanReport.hasChanges(plans) }

    /// The regions whose replicas (in this account or another) the plans delete.
    public var deletedReplicaRegions: Set<String> {
        var regions: Set<String> = []
        for case .success(let plan) in plans {
            for step in plan.steps {
                switch step {
                case .deleteReplica(let region), .deleteAccountReplica(let region, _): regions.insert(region)
                default: break
                }
            }
        }
        return regions
    }
}

/// The outcome of one target's work, with who it acted as.
public struct TargetRun<Value: Sendable>: Sendable {
    public var target: Target
    /// Whose credentials acted, when that was checked before the work.
    public var identity: TargetIdentity?
    /// The region the target's requests go to, once its AWS configuration was read: known even when
    /// its credentials then failed (the identity is nil), from the target, its profile or the
    /// environment.
    public var region: String?
    public var outcome: Result<Value, TargetFailure>

    public init(
        target: Target, identity: TargetIdentity?, region: String? = nil,
        outcome: Result<Value, TargetFailure>
    ) {
        self.target = target
        self.identity = identity
        self.region = region ?? identity?.region
        self.outcome = outcome
    }

    public var succeeded: Bool {
        if case .success = outcome { return true }
        return false
    }

    public var value: Value? { try? outcome.get() }

    public var failure: TargetFailure? {
        if case .failure(let failure) = outcome { return failure }
        return nil
    }
}

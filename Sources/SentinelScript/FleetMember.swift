import DynamoDB
import Lua
import Provisioning
import Schema
import Synchronization

/// One target of a ``Fleet``: its own AWS connection (its credentials, region, endpoint and account
/// guard), its own ``TableOperations``, and its own script hosts, which share no globals with any
/// other target's.
///
/// The hosts it makes for its scripts use its connection (one client per target, credentials resolved
/// and checked once), so ``shutdown()`` closes theirs too; it also stops the work under way for it
/// (``identify()``, ``schemas(script:)``, the fleet's operations), which then fails with
/// ``shutDownFailure``, and refuses any started afterwards with the same failure.
public final class FleetMember: Sendable {
    public let target: Target
    /// The configuration the target's scripts run with: the fleet's, with the target's AWS options,
    /// `sentinel.target` and `sentinel.targets()`.
    public let configuration: ScriptHostConfiguration
    /// Plan, apply, status and delete on this target.
    public let tables: TableOperations
    private let connection: AWSConnection?
    /// Set when the target's account can never pass the fleet's own account guard.
    private let accountConflict: String?
    private let checkedIdentity = Mutex<TargetIdentity?>(nil)
    /// The region of the target's configuration, once its client was made (before its credentials
    /// are checked, so that a target whose credentials fail still says where it was going).
    private let configuredRegion = Mutex<String?>(nil)
    /// What ``shutdown()`` stops.
    private let work = MemberWork()

    /// What work on a member that was shut down fails with, whether it was under way or asked after.
    public static let shutDownFailure = TargetFailure(.interrupted, "the fleet was shut down")

    init(target: Target, targets: [Target], base: ScriptHostConfiguration, replicaTargets: [Target]? = nil) {
        self.target = target
        var configuration = base
        configuration.aws = base.aws.map(target.awsOptions(over:))
        configuration.target = target
        configuration.targets = targets
        configuration.replicaTargets = replicaTargets ?? base.replicaTargets ?? targets
        configuration.replicaBaseAWS = base.replicaBaseAWS ?? base.aws
        self.configuration = configuration
        accountConflict = base.aws.flatMap(target.accountConflict(with:))
        connection = configuration.aws.map { AWSConnection(options: $0) }
        tables = TableOperations(
            connection: connection, waitPolicy: configuration.waitPolicy, events: configuration.events,
            accountReplicas: base.aws.map {
                TargetReplicaConnections(
                    targets: configuration.replicaTargets ?? targets, base: $0,
                    protectedWrites: base.protectedReplicaWrites, sourceAccount: target.account)
            })
    }

    /// Who the credentials belong to, checked against the account guard before any DynamoDB
    /// request (asked once; later calls give the same answer).
    public func identify() async throws(TargetFailure) -> TargetIdentity {
        if work.isShutDown { throw Self.shutDownFailure }
        if let known = checkedIdentity.withLock({ $0 }) { return known }
        if let accountConflict { throw TargetFailure(.aws, accountConflict) }
        let outcome = await work.run { () async -> Result<TargetIdentity, DynamoDBError> in
            do throws(DynamoDBError) {
                let client = try self.tables.client()
                self.configuredRegion.withLock { $0 = client.configuration.region }
                return .success(try await TargetIdentity.check(client))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let identity)?:
            checkedIdentity.withLock { $0 = identity }
            return identity
        case .failure(let error)?:
            throw failure(error)
        case nil:
            throw Self.shutDownFailure
        }
    }

    /// The identity found by ``identify()``, if it was asked and answered.
    public var identity: TargetIdentity? { checkedIdentity.withLock { $0 } }

    /// Where the target's requests go, once ``identify()`` has read its configuration (even when its
    /// credentials then failed).
    public var region: String? { identity?.region ?? configuredRegion.withLock { $0 } }

    /// Runs `script` with the target's arguments in a host of its own (on a thread of its own, on
    /// the target's connection), and returns the schemas it returned.
    public func schemas(script: String) async throws(TargetFailure) -> [TableSchema] {
        switch await work.run({ await self.runScript(script) }) {
        case .success(let schemas)?:
            return schemas
        case .failure(let failure)?:
            throw work.isShutDown ? Self.shutDownFailure : failure
        case nil:
            throw Self.shutDownFailure
        }
    }

    private func runScript(_ script: String) async -> Result<[TableSchema], TargetFailure> {
        let configuration = configuration
        let arguments = target.arguments
        do {
            return .success(
                try await ScriptHost.withHost(configuration, connection: connection) { host in
                    try host.run(file: script, arguments: arguments).schemas()
                })
        } catch let error as LuaError {
            let kind: TargetFailure.Kind = error.kind == .interrupted ? .interrupted : .script
            // Lua's own memory refusals have no location; a host allocation's has the caller's line.
            let unlocated =
                error.kind == .memory
                && (error.message.hasPrefix("memory limit of")
                    || error.message.hasPrefix("not enough memory"))
            let message = unlocated ? "\(script): \(error.message)" : error.message
            return .failure(TargetFailure(kind, message, traceback: error.traceback))
        } catch let error as ScriptSchemas.ReadError {
            return .failure(TargetFailure(.script, "\(script): \(error.message)"))
        } catch is CancellationError {
            return .failure(TargetFailure(.interrupted, "interrupted before the script ran"))
        } catch {
            return .failure(TargetFailure(.script, "\(script): \(error)"))
        }
    }

    /// Stops the work under way for this target and closes its AWS connection, which its script
    /// hosts share: nothing reaches AWS through this member afterwards.
    public func shutdown() async {
        stopWork()
        await connection?.shutdown()
    }

    /// The part of ``shutdown()`` that needs no waiting: nothing new starts, work under way is
    /// cancelled.
    func stopWork() {
        work.shutDown()
    }

    /// Runs `body` for this target, unless the run was cancelled before it started or the member was
    /// shut down; whatever it throws is this target's failure, and after a shutdown
    /// ``shutDownFailure``. Cancelling the calling task, or shutting the member down, cancels it.
    func run<Value: Sendable>(
        _ body: @escaping @Sendable () async throws(TargetFailure) -> Value
    ) async -> TargetRun<Value> {
        guard !Task.isCancelled else {
            return TargetRun(
                target: target, identity: identity, region: region,
                outcome: .failure(TargetFailure(.interrupted, "not started")))
        }
        let outcome = await work.run { () async -> Result<Value, TargetFailure> in
            do throws(TargetFailure) {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let value)?:
            return TargetRun(target: target, identity: identity, region: region, outcome: .success(value))
        case .failure(let failure)?:
            // Whatever a target under way failed with when it was shut down, the shutdown is why.
            let reason = work.isShutDown ? Self.shutDownFailure : failure
            return TargetRun(target: target, identity: identity, region: region, outcome: .failure(reason))
        case nil:
            return TargetRun(
                target: target, identity: identity, region: region, outcome: .failure(Self.shutDownFailure))
        }
    }

    /// What `body` read, its AWS failure as this target's. A read cut short by a stop (the caller's
    /// cancellation, or a shutdown) holds the stop as each table's error, which is no answer, so the
    /// target reports the stop instead.
    func reading<Answer>(
        _ body: () async throws(DynamoDBError) -> Answer
    ) async throws(TargetFailure) -> Answer {
        let answer = try await acting(body)
        guard Task.isCancelled else { return answer }
        throw work.isShutDown ? Self.shutDownFailure : TargetFailure(.interrupted, "interrupted")
    }

    /// What `body` did, its AWS failure as this target's. An apply or delete cut short keeps its
    /// tables' results, which say what was done and which table was interrupted.
    func acting<Answer>(
        _ body: () async throws(DynamoDBError) -> Answer
    ) async throws(TargetFailure) -> Answer {
        do throws(DynamoDBError) {
            return try await body()
        } catch {
            throw failure(error)
        }
    }

    /// An AWS failure as a target's failure; a cancelled request is an interruption, and any failure
    /// after a shutdown is the shutdown's.
    func failure(_ error: DynamoDBError) -> TargetFailure {
        if work.isShutDown { return Self.shutDownFailure }
        if Task.isCancelled { return TargetFailure(.interrupted, "interrupted") }
        return TargetFailure(.aws, "\(error)")
    }
}

import DynamoDB
import Lua
import Provisioning
import Schema
import Synchronization

/// One target of a ``Fleet``: its own AWS connection (its credentials, region, endpoint and account
/// guard), its own ``TableOperations``, and its own script hosts, which share no globals with any
/// other target's.
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

    init(target: Target, targets: [Target], base: ScriptHostConfiguration) {
        self.target = target
        var configuration = base
        configuration.aws = base.aws.map(target.awsOptions(over:))
        configuration.target = target
        configuration.targets = targets
        self.configuration = configuration
        accountConflict = base.aws.flatMap(target.accountConflict(with:))
        connection = configuration.aws.map { AWSConnection(options: $0) }
        tables = TableOperations(
            connection: connection, waitPolicy: configuration.waitPolicy, events: configuration.events)
    }

    /// Who the credentials belong to, checked against the account guard before any DynamoDB
    /// request (asked once; later calls give the same answer).
    public func identify() async throws(TargetFailure) -> TargetIdentity {
        if let known = checkedIdentity.withLock({ $0 }) { return known }
        if let accountConflict { throw TargetFailure(.aws, accountConflict) }
        do throws(DynamoDBError) {
            let identity = try await TargetIdentity.check(try tables.client())
            checkedIdentity.withLock { $0 = identity }
            return identity
        } catch {
            throw Self.failure(error)
        }
    }

    /// The identity found by ``identify()``, if it was asked and answered.
    public var identity: TargetIdentity? { checkedIdentity.withLock { $0 } }

    /// Runs `script` with the target's arguments in a host of its own (on a thread of its own), and
    /// returns the schemas it returned.
    public func schemas(script: String) async throws(TargetFailure) -> [TableSchema] {
        let configuration = configuration
        let arguments = target.arguments
        do {
            return try await ScriptHost.withHost(configuration) { host in
                try host.run(file: script, arguments: arguments).schemas()
            }
        } catch let error as LuaError {
            let kind: TargetFailure.Kind = error.kind == .interrupted ? .interrupted : .script
            // Lua's own memory refusals have no location; a host allocation's has the caller's line.
            let unlocated =
                error.kind == .memory
                && (error.message.hasPrefix("memory limit of")
                    || error.message.hasPrefix("not enough memory"))
            let message = unlocated ? "\(script): \(error.message)" : error.message
            throw TargetFailure(kind, message, traceback: error.traceback)
        } catch let error as ScriptSchemas.ReadError {
            throw TargetFailure(.script, "\(script): \(error.message)")
        } catch is CancellationError {
            throw TargetFailure(.interrupted, "interrupted before the script ran")
        } catch {
            throw TargetFailure(.script, "\(script): \(error)")
        }
    }

    /// Closes the target's AWS connection.
    public func shutdown() async {
        await connection?.shutdown()
    }

    /// An AWS failure as a target's failure; a cancelled request is an interruption.
    static func failure(_ error: DynamoDBError) -> TargetFailure {
        if Task.isCancelled { return TargetFailure(.interrupted, "interrupted") }
        return TargetFailure(.aws, "\(error)")
    }
}

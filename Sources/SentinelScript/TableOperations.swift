import DynamoDB
import Provisioning
import Schema

/// Plan, apply, status and delete for Swift callers: the same `Provisioner` the script functions
/// (`sentinel.plan`, `sentinel.apply`, ...) use, on the host's AWS connection, with the same results.
///
/// Sendable and async: call it from any task. The first call resolves the AWS configuration; a
/// configuration problem (no region, a missing profile) is thrown then.
///
/// It holds the host's connection, so a copy outlives the host that made it: dropping the host
/// neither stops a call under way nor refuses a later one. The connection closes when the host is
/// shut down (``ScriptHost/shutdown()``; then every call, one under way too, fails with
/// `the AWS connection was already shut down`) or, by itself, once the host and every copy are gone.
public struct TableOperations: Sendable {
    /// Held, not borrowed: it is what keeps the client open for as long as this value is used.
    private let connection: AWSConnection?
    private let waitPolicy: WaitPolicy
    private let events: ProvisioningEventHandler
    /// Where replicas in other accounts are made (the run's targets); nil blocks them.
    private let accountReplicas: (any AccountReplicaConnections)?

    init(
        connection: AWSConnection?, waitPolicy: WaitPolicy, events: @escaping ProvisioningEventHandler,
        accountReplicas: (any AccountReplicaConnections)? = nil
    ) {
        self.connection = connection
        self.waitPolicy = waitPolicy
        self.events = events
        self.accountReplicas = accountReplicas
    }

    /// The provisioner on the host's connection, for what this type does not wrap (waiting, reading
    /// one table's live state). It holds the connection's client, which stays open while it is used.
    public func provisioner() throws(DynamoDBError) -> Provisioner {
        guard let connection else { throw .configuration("this script host has no AWS access configured") }
        var provisioner = Provisioner(
            controlPlane: DynamoDBControlPlane(client: try connection.client()), waitPolicy: waitPolicy,
            events: events)
        provisioner.accountReplicas = accountReplicas
        return provisioner
    }

    /// The host's DynamoDB client (made now if it was not yet): for who-am-I questions before a command
    /// starts (``DynamoDBClient/callerIdentity()``).
    public func client() throws(DynamoDBError) -> DynamoDBClient {
        guard let connection else { throw .configuration("this script host has no AWS access configured") }
        return try connection.client()
    }

    /// What apply would change in each table, compared with its live state.
    public func plan(_ schemas: [TableSchema]) async throws(DynamoDBError) -> [Result<
        TablePlan, ProvisioningError
    >] {
        try await provisioner().plan(schemas)
    }

    /// Every table planned as new, without reaching AWS.
    public func offlinePlan(_ schemas: [TableSchema]) -> [Result<TablePlan, ProvisioningError>] {
        Provisioner.offlinePlan(schemas)
    }

    /// Creates or converges every table, concurrently; one result per schema, in order.
    public func apply(_ schemas: [TableSchema]) async throws(DynamoDBError) -> [ApplyResult] {
        try await provisioner().apply(schemas)
    }

    /// ``apply(_:)`` that also deletes the replicas (and their items) in `regions` when a schema drops
    /// them; any other replica deletion is refused, as it is without this.
    public func apply(_ schemas: [TableSchema], deletingReplicasIn regions: Set<String>)
        async throws(DynamoDBError)
        -> [ApplyResult]
    {
        var provisioner = try provisioner()
        provisioner.confirmReplicaDeletion = { _, region in regions.contains(region) }
        return await provisioner.apply(schemas)
    }

    /// Each table's live state; nil for a table that does not exist.
    public func status(_ names: [String]) async throws(DynamoDBError) -> [Result<
        LiveTable?, ProvisioningError
    >] {
        try await provisioner().status(names)
    }

    /// Deletes the tables, concurrently, each waited for until gone; nil where it succeeded. A table
    /// with deletion protection is refused, as in the CLI.
    public func delete(_ names: [String]) async throws(DynamoDBError) -> [ProvisioningError?] {
        try await provisioner().concurrentlyDelete(names)
    }
}

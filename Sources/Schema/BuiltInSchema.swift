/// The schemas of Sentinel's three tables, at parity with Sentinel's `infrastructure/schema.go`.
///
/// All three: partition key `id` (S), no sort key, TTL attribute `ttl`, `PAY_PER_REQUEST`, encryption
/// with the AWS-managed KMS key, every GSI projecting `ALL`, every key attribute a string. The GSIs
/// keep Sentinel's order, which is also the order of Sentinel's queries' index constants.
public enum BuiltInSchema: String, Sendable, CaseIterable {
    /// Approval requests: `sentinel-requests`.
    case approvals
    /// Break-glass events: `sentinel-breakglass`.
    case breakglass
    /// Server sessions: `sentinel-sessions`.
    case sessions

    /// The table name Sentinel uses by default.
    public var defaultTableName: String {
        switch self {
        case .approvals: "sentinel-requests"
        case .breakglass: "sentinel-breakglass"
        case .sessions: "sentinel-sessions"
        }
    }

    /// The schema, named `name` or ``defaultTableName``.
    public func schema(name: String? = nil) -> TableSchema {
        TableSchema(
            name: name ?? defaultTableName,
            partitionKey: .string("id"),
            globalSecondaryIndexes: globalSecondaryIndexes,
            billingMode: .payPerRequest,
            ttlAttribute: "ttl",
            encryption: .awsManagedKMS
        )
    }

    private var globalSecondaryIndexes: [GlobalSecondaryIndex] {
        let createdAt = KeyAttribute.string("created_at")
        // Each table is looked up by who made the record; the sessions table also by server instance,
        // sorted by status (not creation time) for Sentinel's FindActiveByServerInstance.
        let owner: GlobalSecondaryIndex
        switch self {
        case .approvals: owner = index("gsi-requester", "requester", sortedBy: createdAt)
        case .breakglass: owner = index("gsi-invoker", "invoker", sortedBy: createdAt)
        case .sessions: owner = index("gsi-user", "user", sortedBy: createdAt)
        }
        var indexes = [
            owner,
            index("gsi-status", "status", sortedBy: createdAt),
            index("gsi-profile", "profile", sortedBy: createdAt),
        ]
        if self == .sessions {
            indexes.append(index("gsi-server-instance", "server_instance_id", sortedBy: .string("status")))
        }
        return indexes
    }

    private func index(_ name: String, _ partitionKey: String, sortedBy sortKey: KeyAttribute)
        -> GlobalSecondaryIndex
    {
        GlobalSecondaryIndex(
            name: name, partitionKey: .string(partitionKey), sortKey: sortKey, projection: .all)
    }
}

import Schema

/// Control planes in other AWS accounts, for a multi-account global table's replicas. Given from above
/// (the targets file and its credentials are SentinelScript's business, not this module's): a
/// provisioner without it blocks every replica in another account.
public protocol AccountReplicaConnections: Sendable {
    /// A control plane acting in `account`, in `region`, with the credentials of the target named
    /// `target` (nil: the one target whose account is `account`, for a replica the schema no longer
    /// lists), whose account guard allows `account` only: credentials of any other account fail before
    /// anything is signed with them. Throws when there is no such target or it names another account.
    func controlPlane(account: String, target: String?, region: String) throws(AccountReplicaConnectionError)
        -> any ControlPlane

    /// The name of the one target for `account`, nil when there is none or more than one.
    func targetName(account: String) -> String?
}

extension AccountReplicaConnections {
    public func targetName(account: String) -> String? { nil }

    /// `schema` with each replica in another account that names no target given the one target for its
    /// account (DynamoDB knows accounts, not targets: an adopted schema has none), so that the schema
    /// `schema --from-table --target` prints, or `sentinel.schema.from_table` returns, applies as it is.
    /// A replica whose account has no single target is left without one (validation then asks for it).
    public func naming(_ schema: TableSchema) -> TableSchema {
        var named = schema
        for (offset, replica) in schema.replicas.enumerated() where replica.target == nil {
            guard let account = replica.account else { continue }
            named.replicas[offset].target = targetName(account: account)
        }
        return named
    }
}

/// Why a replica's account cannot be reached: the message names the target.
public struct AccountReplicaConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

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
}

/// Why a replica's account cannot be reached: the message names the target.
public struct AccountReplicaConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

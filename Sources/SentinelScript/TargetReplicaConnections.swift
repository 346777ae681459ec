import DynamoDB
import Provisioning
import Synchronization

/// The control planes a multi-account global table's replicas are made and deleted with: each through
/// the targets-file entry the replica names (`target`), in the replica's region, with an account guard
/// that allows the replica's account only, so credentials of any other account are refused before
/// anything is signed with them (the rule every target follows). Connections are made on first use and
/// kept for the run.
///
/// A protected target (`protect = true`) is changed only when the run says so (`--yes-protected`):
/// otherwise its connection is made read-only, so the plan can read the replica there but creating or
/// deleting it is refused before anything is signed, whichever step asks.
public final class TargetReplicaConnections: AccountReplicaConnections {
    private let targets: [Target]
    private let base: DynamoDBConfiguration.Options
    private let protectedWrites: Bool
    private let sourceAccount: String?
    private let connections = Mutex<[String: AWSConnection]>([:])

    /// `base` is the run's own options (the command's), under each target's; `protectedWrites` lets
    /// replicas in protected targets be created and deleted; `sourceAccount` is the table's own account
    /// when the run's target names it, so a replica said to be in it is refused before the table is made.
    public init(
        targets: [Target], base: DynamoDBConfiguration.Options, protectedWrites: Bool = false,
        sourceAccount: String? = nil
    ) {
        self.targets = targets
        self.base = base
        self.protectedWrites = protectedWrites
        self.sourceAccount = sourceAccount
    }

    public func controlPlane(account: String, target name: String?, region: String)
        throws(AccountReplicaConnectionError) -> any ControlPlane
    {
        if let sourceAccount, sourceAccount == account {
            // "Each replica must reside in a separate AWS account": known here even before the table's ARN.
            throw AccountReplicaConnectionError(
                "account \(account) is the table's own (the run's target's): a replica in another account must be "
                    + "in another account")
        }
        let target = try find(account: account, name: name)
        if let conflict = target.accountConflict(with: base) {
            throw AccountReplicaConnectionError("target '\(target.name)': \(conflict)")
        }
        var options = target.awsOptions(over: base)
        options.region = region
        options.allowedAccounts = [account]
        if target.isProtected && !protectedWrites {
            options.access = .readOnly(holder: "protected target '\(target.name)' (without --yes-protected)")
        }
        let key = target.name + " " + region
        let connection = connections.withLock { made in
            if let known = made[key] { return known }
            let connection = AWSConnection(options: options)
            made[key] = connection
            return connection
        }
        do {
            return DynamoDBControlPlane(client: try connection.client())
        } catch {
            throw AccountReplicaConnectionError("target '\(target.name)': \(error)")
        }
    }

    public func targetName(account: String) -> String? {
        try? find(account: account, name: nil).name
    }

    /// The target named `name`, which must be for `account` (or name none); without a name, the one
    /// target for `account`.
    private func find(account: String, name: String?) throws(AccountReplicaConnectionError) -> Target {
        let known = targets.map(\.name).sorted().joined(separator: ", ")
        guard let name else {
            let matching = targets.filter { $0.account == account }
            guard matching.count == 1, let only = matching.first else {
                throw AccountReplicaConnectionError(
                    "no single target of the targets file has account = \"\(account)\" (found "
                        + "\(matching.count)); its targets: \(known.isEmpty ? "none" : known)")
            }
            return only
        }
        guard let target = targets.first(where: { $0.name == name }) else {
            throw AccountReplicaConnectionError(
                "target '\(name)' is not in the targets file; its targets: \(known.isEmpty ? "none" : known)")
        }
        if let own = target.account, own != account {
            throw AccountReplicaConnectionError(
                "target '\(name)' is for account \(own), not the replica's account \(account)")
        }
        return target
    }

    /// Closes every connection made.
    public func shutdown() async {
        let made = connections.withLock { made in
            defer { made = [:] }
            return Array(made.values)
        }
        for connection in made { await connection.shutdown() }
    }
}

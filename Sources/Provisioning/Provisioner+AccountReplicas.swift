import JSON
import Schema

extension Provisioner {
    /// What stops each replica in another account a plan makes or deletes, found before the first call:
    /// no connection to replicas in other accounts was given, the target is unknown or names another
    /// account, its credentials prove another account (its account guard refuses them before anything is
    /// signed), or a table of that name is there already (DynamoDB makes the replica's table itself).
    func accountReplicaPreconditions(_ plan: TablePlan, _ schema: TableSchema) async throws(ProvisioningError)
        -> [BlockedChange]
    {
        var blocked: [BlockedChange] = []
        for step in plan.steps {
            let (region, account, target, creating): (String, String, String?, Bool)
            switch step {
            case .createAccountReplica(let replica):
                (region, account, target, creating) = (
                    replica.region, replica.account ?? "", replica.target, true
                )
            case .deleteAccountReplica(let replicaRegion, let replicaAccount):
                let listed = Self.listedTarget(schema, account: replicaAccount)
                (region, account, target, creating) = (replicaRegion, replicaAccount, listed, false)
            default:
                continue
            }
            let wanted = creating ? "a replica in \(region), account \(account)" : "no replica in \(region)"
            let named = target.map { "target '\($0)'" } ?? "the target of account \(account)"
            let other: any ControlPlane
            do {
                other = try connection(account: account, target: target, region: region)
            } catch {
                blocked.append(
                    BlockedChange(
                        field: "replicas",
                        live: "no usable target for account \(account) (\(named): \(error))",
                        wanted: wanted,
                        reason: "a replica in another account is made and deleted with the credentials of a "
                            + "target whose account is the replica's: nothing was sent"))
                continue
            }
            do {
                _ = try await other.send("DescribeTable", ["TableName": .string(plan.table)])
                if creating {
                    blocked.append(
                        BlockedChange(
                            field: "replicas",
                            live: "a table named '\(plan.table)' in \(region), account \(account)",
                            wanted: wanted,
                            reason:
                                "DynamoDB makes the replica's table itself: delete or rename that table first"
                        ))
                }
            } catch let error as ControlPlaneError where error.isNotFound {
                continue
            } catch is CancellationError {
                throw .cancelled(table: plan.table)
            } catch {
                blocked.append(
                    BlockedChange(
                        field: "replicas",
                        live: "no usable target for account \(account) (\(named) in \(region): \(error))",
                        wanted: wanted,
                        reason:
                            "the target's credentials must belong to account \(account) (its account guard "
                            + "checks them before anything is signed) and may DescribeTable there"))
            }
        }
        return blocked
    }

    /// The control plane in `account`, through ``accountReplicas``.
    func connection(account: String, target: String?, region: String) throws(AccountReplicaConnectionError)
        -> any ControlPlane
    {
        guard let accountReplicas else {
            throw AccountReplicaConnectionError(
                "this run knows no targets: replicas in other accounts need a targets file (--targets FILE "
                    + "with --target NAME), whose entries' credentials act in those accounts")
        }
        return try accountReplicas.controlPlane(account: account, target: target, region: region)
    }

    /// The replicas in other accounts whose own replication statement, read in their accounts, is not
    /// what every member needs (removed or edited by hand): a step each that puts it back. Only when no
    /// replica in another account comes or goes (those steps bring every statement to the new members), and
    /// only for replicas that are live. A replica whose policy cannot be read (no usable target, a target
    /// whose credentials prove another account, a refused or failed read) blocks the plan, naming it: the
    /// check fails closed rather than calling the table up to date unchecked.
    func accountReplicaRepairs(_ plan: TablePlan, _ schema: TableSchema, live: LiveTable?)
        async throws(ProvisioningError) -> (steps: [PlanStep], blocked: [BlockedChange])
    {
        guard let live, schema.isMultiAccount, !live.arn.isEmpty,
            !plan.steps.contains(where: { step in
                if case .createAccountReplica = step { return true }
                if case .deleteAccountReplica = step { return true }
                return false
            })
        else { return ([], []) }
        let members = AccountReplicaGrants.members(
            sourceARN: live.arn, table: schema.name, replicas: schema.replicas)
        var repairs: [PlanStep] = []
        var blocked: [BlockedChange] = []
        for replica in schema.replicas {
            guard let account = replica.account,
                live.replicas.contains(where: { $0.replica.account == account && $0.region == replica.region }
                )
            else { continue }
            let own = AccountReplicaGrants.Member(
                account: account, region: replica.region, table: schema.name)
            let policy: String?
            do {
                let other = try connection(account: account, target: replica.target, region: replica.region)
                policy = try await Self.readPolicy(on: other, arn: own.arn).value.stringValue
            } catch is CancellationError {
                throw .cancelled(table: schema.name)
            } catch {
                let named = replica.target.map { "target '\($0)'" } ?? "the target of account \(account)"
                blocked.append(
                    BlockedChange(
                        field: "replicas",
                        live:
                            "the policy of the replica in \(replica.region), account \(account) not readable "
                            + "through \(named) (\(error))",
                        wanted: "its replication statement checked",
                        reason:
                            "every plan checks each replica's own statement in its account, with a target "
                            + "whose credentials are that account's and may GetResourcePolicy there"))
                continue
            }
            let statement = AccountReplicaGrants.replication(resource: own.arn, members: members)
            if AccountReplicaGrants.merged(policy, with: [statement]) != nil {
                repairs.append(.grantAccountReplica(region: replica.region, account: account))
            }
        }
        return (repairs, blocked)
    }

    /// The control plane in `account` for a step that writes there, refused before any request when the
    /// target may not be changed (protected, without --yes-protected); `first` is the step's first write.
    private func writableConnection(
        account: String, target: String?, region: String, first: String, step: PlanStep, table: String
    ) throws -> any ControlPlane {
        let other = try connection(account: account, target: target, region: region)
        if let refusal = other.writeRefusal(first, table: table) {
            throw ProvisioningError.stepFailed(table: table, step: step.summary, cause: refusal)
        }
        return other
    }

    /// Carries out a replica step in another account (`arn` is the source table's); `sent` turns true
    /// before its first request that changes something.
    func carryOutAccountReplica(_ step: PlanStep, schema: TableSchema, arn: String, sent: inout Bool)
        async throws(ProvisioningError)
    {
        let name = schema.name
        do {
            switch step {
            case .createAccountReplica(let replica):
                guard let account = replica.account else { return }
                // A target that may not be changed (protected, without --yes-protected) stops the step
                // before its first request, the source's policy included.
                let other = try writableConnection(
                    account: account, target: replica.target, region: replica.region, first: "CreateTable",
                    step: step, table: name)
                sent = true
                let members = AccountReplicaGrants.members(
                    sourceARN: arn, table: name, replicas: schema.replicas)
                try await grant(
                    AccountReplicaGrants.sourceStatements(members: members), table: name, arn: arn)
                try await enableSettingsReplication(name)
                let own = AccountReplicaGrants.Member(account: account, region: replica.region, table: name)
                // Every replica grants every other ("all replicas must explicitly grant permissions to each
                // other"): those already there let the new one in before it asks to join.
                try await grantPeers(schema, members: members, except: account)
                _ = try await other.send(
                    "CreateTable",
                    [
                        "TableName": .string(name), "GlobalTableSourceArn": .string(arn),
                        "GlobalTableSettingsReplicationMode": .string(
                            SettingsReplicationMode.enabled.rawValue),
                        "ResourcePolicy": .string(
                            AccountReplicaGrants.replicaPolicy(replica: own, members: members)),
                    ])
                try await waitThere(other, name, until: "ACTIVE", in: "\(replica.region), account \(account)")
            case .deleteAccountReplica(let region, let account):
                let target = Self.listedTarget(schema, account: account)
                let other = try writableConnection(
                    account: account, target: target, region: region, first: "DeleteTable", step: step,
                    table: name)
                sent = true
                _ = try await other.send("DeleteTable", ["TableName": .string(name)])
                try await waitThere(other, name, until: nil, in: "\(region), account \(account)")
                try await revokeGrants(schema: schema, arn: arn)
                // The replicas left no longer name the one deleted.
                let remaining = AccountReplicaGrants.members(
                    sourceARN: arn, table: name, replicas: schema.replicas.filter { $0.account != account })
                try await grantPeers(schema, members: remaining, except: account)
            case .grantAccountReplica(let region, let account):
                let target = Self.listedTarget(schema, account: account)
                let other = try writableConnection(
                    account: account, target: target, region: region, first: "PutResourcePolicy", step: step,
                    table: name)
                sent = true
                let members = AccountReplicaGrants.members(
                    sourceARN: arn, table: name, replicas: schema.replicas)
                let own = AccountReplicaGrants.Member(account: account, region: region, table: name)
                let statement = AccountReplicaGrants.replication(resource: own.arn, members: members)
                _ = try await changePolicy(on: other, arn: own.arn) { live in
                    AccountReplicaGrants.merged(live, with: [statement]).map { .some($0) }
                }
                // Read back before the next plan, which would otherwise put it again from a stale read
                // (GetResourcePolicy is eventually consistent after a put).
                let clock = ContinuousClock()
                let start = clock.now
                var attempt = 0
                while true {
                    let live = try? await Self.readPolicy(on: other, arn: own.arn)
                    if AccountReplicaGrants.merged(live?.value.stringValue, with: [statement]) == nil {
                        break
                    }
                    try await pause(
                        name, attempt: &attempt, since: start, clock: clock,
                        waitingFor: "the replication statement in \(region), account \(account)")
                }
            default:
                return
            }
        } catch let error as ProvisioningError {
            throw error
        } catch let error as AccountReplicaConnectionError {
            throw .stepFailed(table: name, step: step.summary, cause: error.description)
        } catch is CancellationError {
            throw .cancelled(table: name)
        } catch {
            throw .stepFailed(table: name, step: step.summary, cause: String(describing: error))
        }
    }

    /// Brings the replication statement of each replica in another account the schema lists (but the one in
    /// `except`) to `members`, in that replica's account, merged into its policy there. A replica not made
    /// yet (a later step of this apply) is skipped: its CreateTable carries its policy.
    private func grantPeers(_ schema: TableSchema, members: [AccountReplicaGrants.Member], except: String)
        async throws
    {
        for peer in schema.replicas where peer.isInAnotherAccount && peer.account != except {
            guard let account = peer.account else { continue }
            let other = try connection(account: account, target: peer.target, region: peer.region)
            let own = AccountReplicaGrants.Member(account: account, region: peer.region, table: schema.name)
            let statement = AccountReplicaGrants.replication(resource: own.arn, members: members)
            _ = try await changePolicy(on: other, arn: own.arn) { live in
                AccountReplicaGrants.merged(live, with: [statement]).map { .some($0) }
            }
        }
    }

    /// Puts the source's policy with `statements` in it, when it lacks them, and waits until it reads back.
    private func grant(_ statements: [JSONValue], table: String, arn: String) async throws {
        let put = try await changePolicy(on: controlPlane, arn: arn) { live in
            AccountReplicaGrants.merged(live, with: statements).map { .some($0) }
        }
        if let put { try await waitUntilPolicyRead(put, table: table, arn: arn) }
    }

    /// After a replica in another account is deleted: the table's policy keeps the statements for the
    /// replicas the schema still lists (their conditions no longer name the one deleted), or loses them
    /// when none is left. A schema that sets the policy has it put by its own step instead
    /// (``AccountReplicaGrants/withGrants(_:live:)``).
    private func revokeGrants(schema: TableSchema, arn: String) async throws {
        guard !schema.resourcePolicy.isManaged else { return }
        let remaining = schema.replicas.filter(\.isInAnotherAccount)
        let put = try await changePolicy(on: controlPlane, arn: arn) { live -> String?? in
            guard let live else { return nil }
            if remaining.isEmpty { return AccountReplicaGrants.withoutGrants(live) }
            let members = AccountReplicaGrants.members(
                sourceARN: arn, table: schema.name, replicas: remaining)
            return AccountReplicaGrants.merged(
                live, with: AccountReplicaGrants.sourceStatements(members: members)
            )
            .map { .some($0) }
        }
        if let put { try await waitUntilPolicyRead(put, table: schema.name, arn: arn) }
    }

    /// Waits until the table's policy reads back as `policy` (nil: none).
    private func waitUntilPolicyRead(_ policy: String?, table: String, arn: String) async throws {
        try await waitUntilRead(
            .resourcePolicy, wanted: policy.map(JSONValue.string) ?? false, name: table, arn: arn)
    }

    /// The resource policy of `arn` read through `plane` (a replica's account), as the setting's own
    /// descriptor reads it: none for its "none" answer, with the revision a conditional write sends back.
    private static func readPolicy(on plane: any ControlPlane, arn: String) async throws
        -> OperatedSettingState
    {
        let setting = OperatedSetting.resourcePolicy
        do {
            return setting.liveState(
                try await plane.send(setting.read.operation, setting.readRequest(name: "", arn: arn)))
        } catch let error as ControlPlaneError where error.code == setting.read.noneCode {
            return setting.liveState(nil)
        }
    }

    /// The target the schema names for its replica in `account`, if it lists one.
    private static func listedTarget(_ schema: TableSchema, account: String) -> String? {
        schema.replicas.first { $0.account == account }?.target
    }

    /// Reads the resource policy of `arn` through `plane` and sends what `change` makes of the live text
    /// (nil for none): a policy to put, `.some(nil)` to delete it, nil to leave it. The revision read goes
    /// with it as `ExpectedRevisionId`, so a policy changed meanwhile is refused, not overwritten. Returns
    /// what was sent (`.some(nil)`: deleted), or nil when nothing was, a table not there included.
    private func changePolicy(on plane: any ControlPlane, arn: String, _ change: (String?) -> String??)
        async throws -> String??
    {
        let live: OperatedSettingState
        do {
            live = try await Self.readPolicy(on: plane, arn: arn)
        } catch let error as ControlPlaneError where error.isNotFound {
            return nil
        }
        guard let wanted = change(live.value.stringValue) else { return nil }
        var request: JSONObject = ["ResourceArn": .string(arn)]
        request["ExpectedRevisionId"] = live.revision.map(JSONValue.string)
        if let policy = wanted {
            request["Policy"] = .string(policy)
            _ = try await plane.send("PutResourcePolicy", .object(request))
        } else {
            _ = try await plane.send("DeleteResourcePolicy", .object(request))
        }
        return .some(wanted)
    }

    /// Turns the source's settings replication on (UpdateTable `GlobalTableSettingsReplicationMode`:
    /// "ENABLED: Defines settings replication on a regional table to be used as a source table for
    /// creating Multi-Account Global Table"), unless it is on or the table is global already.
    private func enableSettingsReplication(_ name: String) async throws {
        let described = try await controlPlane.send("DescribeTable", ["TableName": .string(name)])
        let mode = described["Table"]?["GlobalTableSettingsReplicationMode"]?.stringValue
        guard mode != SettingsReplicationMode.enabled.rawValue else { return }
        _ = try await controlPlane.send(
            "UpdateTable",
            [
                "TableName": .string(name),
                "GlobalTableSettingsReplicationMode": .string(SettingsReplicationMode.enabled.rawValue),
            ])
        _ = try await waitUntilSettled(name, ifAbsent: .fail)
    }

    /// Polls DescribeTable through `other` until the table's status is `status`, or until it is gone
    /// (`status` nil), within the wait policy's bounds.
    private func waitThere(_ other: any ControlPlane, _ name: String, until status: String?, in place: String)
        async throws
    {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            var current: String?
            do {
                let described = try await other.send("DescribeTable", ["TableName": .string(name)])
                current = described["Table"]?["TableStatus"]?.stringValue ?? "ACTIVE"
            } catch let error as ControlPlaneError where error.isNotFound {
                current = nil
            }
            if current == status { return }
            try await pause(
                name, attempt: &attempt, since: start, clock: clock,
                waitingFor:
                    "the replica's table in \(place): \(current ?? "not there") -> \(status ?? "deleted")")
        }
    }
}

import JSON
import Schema

/// A global table's replicas and witness: the plan steps that make the live ones match the schema,
/// the UpdateTable bodies that carry them out (`ReplicaUpdates`, version 2019.11.21), and the changes
/// DynamoDB does not allow, which block the plan. Pure, like ``TableDiff``, which calls it.
///
/// DynamoDB's rules, each from the UpdateTable reference or the developer guide:
/// - one replica change per UpdateTable ("You can create, update or delete only one replica per
///   UpdateTable operation" for an eventually consistent table), each waited on before the next
///   (the table is UPDATING meanwhile, ``LiveTable/isSettled``);
/// - a strongly consistent table is made in one UpdateTable with every replica, the witness and
///   `MultiRegionConsistency` ("This parameter is only valid when you create a global table by
///   specifying one or more Create actions in the ReplicaUpdates action list");
/// - "You can't change a global table's consistency mode after creation";
/// - the table must be empty when MRSC is turned on.
enum ReplicaChanges {
    /// Replicas the live table has and the schema does not: deleted first, so later changes are not
    /// replicated to a region about to go.
    static func deletions(_ schema: TableSchema, _ live: LiveTable) -> [PlanStep] {
        guard live.multiRegionConsistency != .strong || schema.multiRegionConsistency != .strong else {
            return []  // A strongly consistent table's regions are blocked, not changed (``blocked``).
        }
        let wanted = Set(schema.replicas.map(\.region))
        return live.replicas.filter { !wanted.contains($0.region) }.map { replica in
            if let account = replica.replica.account {
                return .deleteAccountReplica(region: replica.region, account: account)
            }
            return .deleteReplica(region: replica.region)
        }
    }

    /// New replicas and changed ones, after the table's own changes (its stream, indexes and
    /// encryption are what a new replica copies).
    static func creationsAndUpdates(_ schema: TableSchema, _ live: LiveTable?) -> [PlanStep] {
        let existing = live?.replicas ?? []
        if schema.multiRegionConsistency == .strong {
            guard existing.isEmpty, live?.witnesses.isEmpty ?? true, !schema.replicas.isEmpty else {
                return []
            }
            return [.createStrongGlobalTable(replicas: schema.replicas, witness: schema.witnessRegion)]
        }
        var steps: [PlanStep] = []
        // A replica in another account is made after everything else (``accountCreations``).
        for replica in schema.replicas where !replica.isInAnotherAccount {
            guard let current = existing.first(where: { $0.region == replica.region }) else {
                steps.append(.createReplica(replica.replicationSettings))
                steps += regionalStep(replica, live: nil, tableTags: schema.tags)
                continue
            }
            if let update = update(replica, from: current.replica, live: live) {
                steps.append(.updateReplica(update, from: current.replica))
            }
            // A replica not ACTIVE yet has nothing to read in its region: the next plan compares it.
            if let regional = current.regional {
                steps += regionalStep(replica, live: regional, tableTags: schema.tags)
            }
        }
        return steps
    }

    /// Replicas in other accounts the live table does not have, last in a plan: each needs the source's
    /// resource policy (the last of the table's own steps) to let it join. A replica in another account
    /// has no settings of its own to update ("these settings cannot be overridden per replica").
    static func accountCreations(_ schema: TableSchema, _ live: LiveTable?) -> [PlanStep] {
        let existing = Set((live?.replicas ?? []).map(\.region))
        return schema.replicas.filter { $0.isInAnotherAccount && !existing.contains($0.region) }
            .map(PlanStep.createAccountReplica)
    }

    /// What DynamoDB does not allow: another consistency mode on a global table, other regions on a
    /// strongly consistent one, MRSC on a table with items.
    static func blocked(_ schema: TableSchema, _ live: LiveTable) -> [BlockedChange] {
        var blocked: [BlockedChange] = []
        let liveIsGlobal = !live.replicas.isEmpty || !live.witnesses.isEmpty
        if liveIsGlobal, schema.isGlobal, schema.multiRegionConsistency != live.multiRegionConsistency {
            blocked.append(
                BlockedChange(
                    field: "multi_region_consistency", live: live.multiRegionConsistency.rawValue,
                    wanted: schema.multiRegionConsistency.rawValue,
                    reason: "DynamoDB cannot change a global table's consistency mode after creation"))
        }
        if live.multiRegionConsistency == .strong, liveIsGlobal {
            let liveRegions =
                live.replicas.map(\.region).sorted() + live.witnesses.map { "witness " + $0.region }
            let wantedRegions =
                schema.replicas.map(\.region).sorted()
                + (schema.witnessRegion.map { ["witness " + $0] } ?? [])
            // A schema that keeps the table global but eventually consistent is the mode change above; one
            // that lists no replica at all would delete them, which DynamoDB does not take one at a time.
            if liveRegions != wantedRegions, schema.multiRegionConsistency == .strong || !schema.isGlobal {
                blocked.append(
                    BlockedChange(
                        field: "replicas", live: liveRegions.joined(separator: ", "),
                        wanted: wantedRegions.joined(separator: ", "),
                        reason: "a strongly consistent table's regions are fixed by this tool once made: "
                            + "change them by hand, one UpdateTable at a time"))
            }
        }
        let wanted = Set(schema.replicas.map(\.region))
        for replica in live.replicas
        where !wanted.contains(replica.region) && replica.regional?.deletionProtection == true {
            // "Resource cannot be deleted as it is currently protected against deletion. Disable deletion
            // protection first." (DynamoDB's answer to the replica's Delete)
            blocked.append(
                BlockedChange(
                    field: "replicas", live: replica.region, wanted: "no replica in \(replica.region)",
                    reason: "the replica in \(replica.region) has deletion protection on: apply "
                        + "deletion_protection = false on it first, then remove it"))
        }
        let ownAccount = LiveReplica.account(ofTableARN: live.arn)
        for replica in schema.replicas where replica.account != nil && replica.account == ownAccount {
            // "Each replica must reside in a separate AWS account."
            blocked.append(
                BlockedChange(
                    field: "replicas", live: "the table in account \(ownAccount ?? "")",
                    wanted: "a replica in \(replica.region), account \(replica.account ?? "")",
                    reason:
                        "that is the table's own account: each replica of a multi-account global table is in "
                        + "an account of its own (for a replica in this account, leave account and target out)"
                ))
        }
        if schema.multiRegionConsistency == .strong, !liveIsGlobal, let items = live.itemCount, items > 0 {
            blocked.append(
                BlockedChange(
                    field: "multi_region_consistency", live: "\(items) items", wanted: "STRONG",
                    reason: "DynamoDB turns multi-Region strong consistency on only for an empty table"))
        }
        return blocked
    }

    /// The replica as it should be when a setting the schema gives differs from the live one; nil when
    /// none does. What the schema leaves out is left as it is. A KMS key given as an alias cannot be
    /// compared with the key ARN DynamoDB reports, and is taken as matching (as the table's is).
    private static func update(_ wanted: Replica, from live: Replica, live table: LiveTable?) -> Replica? {
        var update = Replica(region: wanted.region)
        var differs = false
        if let tableClass = wanted.tableClass, tableClass != (live.tableClass ?? table?.tableClass) {
            update.tableClass = tableClass
            differs = true
        }
        if let key = wanted.kmsKey, !sameKey(key, live.kmsKey) {
            update.kmsKey = key
            differs = true
        }
        if let units = wanted.readCapacity, units != live.readCapacity {
            update.readCapacity = units
            differs = true
        }
        if let units = wanted.maxRead, units != live.maxRead {
            update.maxRead = units
            differs = true
        }
        for index in wanted.indexes {
            let current = live.indexes.first { $0.name == index.name }
            var override = ReplicaIndex(name: index.name)
            if let units = index.readCapacity, units != current?.readCapacity {
                override.readCapacity = units
            }
            if let units = index.maxRead, units != current?.maxRead { override.maxRead = units }
            if override.readCapacity != nil || override.maxRead != nil {
                update.indexes.append(override)
                differs = true
            }
        }
        return differs ? update : nil
    }

    /// The settings DynamoDB keeps per region that the schema gives and the replica's region reports
    /// otherwise (`live` nil: a replica about to be made, which starts with DynamoDB's defaults), as one
    /// step sent to that region; none when they agree.
    private static func regionalStep(
        _ wanted: Replica, live: LiveReplica.RegionalSettings?, tableTags: [String: String]
    ) -> [PlanStep] {
        var change = ReplicaSettingsChange(arn: live?.arn)
        if let flag = wanted.deletionProtection, flag != (live?.deletionProtection ?? false) {
            change.deletionProtection = flag
        }
        if let flag = wanted.pointInTimeRecovery, flag != (live?.pointInTimeRecovery ?? false) {
            change.pointInTimeRecovery = flag
        }
        if let tags = wanted.tags?.wanted(tableTags: tableTags) {
            let current = live?.tags ?? [:]
            change.setTags = tags.filter { current[$0.key] != $0.value }
            change.removeTags = current.keys.filter { tags[$0] == nil && !$0.lowercased().hasPrefix("aws:") }
                .sorted()
        }
        return change.isEmpty ? [] : [.updateReplicaSettings(region: wanted.region, change)]
    }

    /// The requests of a replica settings step, each sent to the replica's region; `arn` is the replica
    /// table's there (for its tags).
    static func regionalRequests(_ change: ReplicaSettingsChange, table: JSONValue, arn: String)
        -> [(operation: String, body: JSONValue)]
    {
        var requests: [(operation: String, body: JSONValue)] = []
        if let flag = change.deletionProtection {
            requests.append(("UpdateTable", ["TableName": table, "DeletionProtectionEnabled": .bool(flag)]))
        }
        if let flag = change.pointInTimeRecovery {
            requests.append(
                (
                    "UpdateContinuousBackups",
                    [
                        "TableName": table,
                        "PointInTimeRecoverySpecification": ["PointInTimeRecoveryEnabled": .bool(flag)],
                    ]
                ))
        }
        if !change.setTags.isEmpty {
            let keys = change.setTags.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            requests.append(
                (
                    "TagResource",
                    [
                        "ResourceArn": .string(arn),
                        "Tags": .array(
                            keys.map { ["Key": .string($0), "Value": .string(change.setTags[$0] ?? "")] }),
                    ]
                ))
        }
        if !change.removeTags.isEmpty {
            requests.append(
                (
                    "UntagResource",
                    ["ResourceArn": .string(arn), "TagKeys": .array(change.removeTags.map(JSONValue.string))]
                ))
        }
        return requests
    }

    private static func sameKey(_ wanted: String, _ liveARN: String?) -> Bool {
        guard let liveARN else { return false }
        switch KMSKeyReference(wanted) {
        case .keyARN: return wanted == liveARN
        case .keyID(let id): return liveARN.hasSuffix(":key/" + id)
        default: return true
        }
    }

    /// Replica statuses DynamoDB does not leave by itself ("ReplicaStatus" in ReplicaDescription).
    static let failedStatuses: Set<String> = [
        "CREATION_FAILED", "REGION_DISABLED", "INACCESSIBLE_ENCRYPTION_CREDENTIALS", "ARCHIVED",
        "REPLICATION_NOT_AUTHORIZED",
    ]

    /// Why a replica deletion that was not confirmed is not made.
    static let unconfirmedDeletion =
        "not done: deleting a replica deletes its items in that region; it is deleted only when its region "
        + "is named: typed at apply's question (apply to targets asks none), --yes-delete-replicas, or "
        + "sentinel.apply's delete_replicas"

    /// The regions a step makes replicas in, each to be waited on there until ACTIVE.
    static func createdRegions(_ step: PlanStep) -> [String] {
        switch step {
        case .createReplica(let replica): [replica.region]
        case .createStrongGlobalTable(let replicas, _): replicas.map(\.region)
        default: []
        }
    }

    // MARK: Requests

    /// The UpdateTable body of a replica step.
    static func request(for step: PlanStep, table: JSONValue) -> JSONValue? {
        switch step {
        case .createReplica(let replica):
            return ["TableName": table, "ReplicaUpdates": [["Create": member(replica)]]]
        case .updateReplica(let replica, _):
            return ["TableName": table, "ReplicaUpdates": [["Update": member(replica)]]]
        case .deleteReplica(let region):
            return ["TableName": table, "ReplicaUpdates": [["Delete": ["RegionName": .string(region)]]]]
        case .createStrongGlobalTable(let replicas, let witness):
            var request: JSONObject = [
                "TableName": table,
                "ReplicaUpdates": .array(replicas.map { ["Create": member($0)] }),
                "MultiRegionConsistency": .string(MultiRegionConsistency.strong.rawValue),
            ]
            if let witness {
                request["GlobalTableWitnessUpdates"] = [["Create": ["RegionName": .string(witness)]]]
            }
            return .object(request)
        default:
            return nil
        }
    }

    /// A `CreateReplicationGroupMemberAction` or `UpdateReplicationGroupMemberAction`: the region and
    /// what the replica overrides.
    private static func member(_ replica: Replica) -> JSONValue {
        var member: JSONObject = ["RegionName": .string(replica.region)]
        member["KMSMasterKeyId"] = replica.kmsKey.map(JSONValue.string)
        member["TableClassOverride"] = replica.tableClass.map { .string($0.rawValue) }
        member["ProvisionedThroughputOverride"] = replica.readCapacity.map {
            ["ReadCapacityUnits": JSONValue($0)]
        }
        member["OnDemandThroughputOverride"] = replica.maxRead.map { ["MaxReadRequestUnits": JSONValue($0)] }
        if !replica.indexes.isEmpty {
            member["GlobalSecondaryIndexes"] = .array(
                replica.indexes.map { index in
                    var override: JSONObject = ["IndexName": .string(index.name)]
                    override["ProvisionedThroughputOverride"] = index.readCapacity.map {
                        ["ReadCapacityUnits": JSONValue($0)]
                    }
                    override["OnDemandThroughputOverride"] = index.maxRead.map {
                        ["MaxReadRequestUnits": JSONValue($0)]
                    }
                    return .object(override)
                })
        }
        return .object(member)
    }
}

/// The settings DynamoDB keeps per region to set on one replica, with the table's own operations sent to
/// the replica's region: UpdateTable for deletion protection, UpdateContinuousBackups, Tag/UntagResource.
public struct ReplicaSettingsChange: Sendable, Equatable {
    /// The replica table's ARN when the plan read it; nil for a replica the same apply makes (apply reads
    /// it then).
    public var arn: String?
    public var deletionProtection: Bool?
    public var pointInTimeRecovery: Bool?
    public var setTags: [String: String] = [:]
    public var removeTags: [String] = []

    public init(arn: String? = nil, deletionProtection: Bool? = nil, pointInTimeRecovery: Bool? = nil) {
        self.arn = arn
        self.deletionProtection = deletionProtection
        self.pointInTimeRecovery = pointInTimeRecovery
    }

    public var isEmpty: Bool {
        deletionProtection == nil && pointInTimeRecovery == nil && setTags.isEmpty && removeTags.isEmpty
    }

    /// `deletion protection on, point-in-time recovery on, tag owner: alice, untag old`.
    var summary: String {
        var parts: [String] = []
        if let deletionProtection { parts.append("deletion protection \(deletionProtection ? "on" : "off")") }
        if let pointInTimeRecovery {
            parts.append("point-in-time recovery \(pointInTimeRecovery ? "on" : "off")")
        }
        if !setTags.isEmpty {
            parts.append(
                "tag " + setTags.keys.sorted().map { "\($0): \(setTags[$0] ?? "")" }.joined(separator: ", "))
        }
        if !removeTags.isEmpty { parts.append("untag " + removeTags.joined(separator: ", ")) }
        return parts.joined(separator: ", ")
    }
}

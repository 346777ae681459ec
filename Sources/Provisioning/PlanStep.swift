import Schema

/// One change to one table, in the order ``TableDiff`` puts them (Terraform's safe order): delete
/// replicas, delete indexes, table class, table settings, create indexes, encryption, create and update
/// replicas, TTL, point-in-time recovery, tags, resource policy.
public enum PlanStep: Sendable, Equatable {
    /// CreateTable with everything it accepts (indexes, SSE, stream, class, protection, tags).
    case createTable(TableSchema)
    /// One UpdateTable deleting one GSI; `replacing` when the index comes back with other keys or projection.
    case deleteIndex(name: String, replacing: Bool)
    /// A ``TableSetting`` whose ``TableSetting/Operation`` is an UpdateTable of its own (the table
    /// class: DynamoDB refuses it with other changes).
    case updateSetting(TableSettingChange)
    /// One UpdateTable for billing, capacity, deletion protection and stream.
    case updateSettings(SettingsChange)
    /// One UpdateTable creating one GSI.
    case createIndex(GlobalSecondaryIndex, replacing: Bool)
    case updateEncryption(from: EncryptionType, to: Encryption)
    /// UpdateTimeToLive; changing the attribute is a disable step then an enable step `replacing` the
    /// old attribute, which DynamoDB allows an hour after the first (``DynamoDBRules``).
    case enableTimeToLive(attribute: String, replacing: String? = nil)
    case disableTimeToLive(attribute: String)
    /// The requests of an ``OperatedSetting`` (UpdateContinuousBackups, Put/DeleteResourcePolicy) that
    /// make its live value the schema's; the change holds the live state (its revision, and what the
    /// plan shows it was).
    case updateOperatedSetting(OperatedSettingChange)
    /// TagResource with the tags to set; `previous` holds the live value of each tag being changed
    /// (absent for a new tag), so the plan can show `owner: alice -> bob`.
    case tagResource([String: String], previous: [String: String] = [:])
    case untagResource([String])
    /// UpdateTable `ReplicaUpdates` creating one replica (``ReplicaChanges``), waited on until ACTIVE.
    case createReplica(Replica)
    /// UpdateTable `ReplicaUpdates` changing what one replica overrides: the settings to set.
    case updateReplica(Replica, from: Replica)
    /// The settings DynamoDB keeps per region (deletion protection, point-in-time recovery, tags) on one
    /// replica, with the table's own operations sent to the replica's region.
    case updateReplicaSettings(region: String, ReplicaSettingsChange)
    /// UpdateTable `ReplicaUpdates` deleting one replica, and every item in it: apply asks first.
    case deleteReplica(region: String)
    /// The one UpdateTable that makes a strongly consistent global table: every replica, the witness
    /// and `MultiRegionConsistency` STRONG together.
    case createStrongGlobalTable(replicas: [Replica], witness: String?)
    /// A replica in another account (a multi-account global table): the source table's resource policy
    /// gains the statements that let that account join and the replication principal replicate
    /// (``AccountReplicaGrants``, added by apply with fixed Sids), its settings replication is turned on,
    /// then CreateTable with `GlobalTableSourceArn` is sent in the replica's account and region with
    /// that target's credentials, and waited on until ACTIVE.
    case createAccountReplica(Replica)
    /// DeleteTable of a replica in another account, sent in its account and region (every item in it is
    /// deleted): apply asks first, as for any replica deletion.
    case deleteAccountReplica(region: String, account: String)
    /// The replication statement of a replica in another account, put back into its policy there (it was
    /// removed or edited by hand): every replica must grant every other.
    case grantAccountReplica(region: String, account: String)

    /// The step's sign in the human plan: `+` create, `~` change, `-` delete, `-/+` replace.
    public var symbol: String {
        switch self {
        case .createTable, .enableTimeToLive: "+"
        case .updateOperatedSetting(let change): change.symbol
        case .createIndex(_, let replacing): replacing ? "-/+" : "+"
        case .deleteIndex(_, let replacing): replacing ? "-/+" : "-"
        case .disableTimeToLive, .untagResource, .deleteReplica, .deleteAccountReplica: "-"
        case .createReplica, .createStrongGlobalTable, .createAccountReplica: "+"
        case .updateReplica, .updateReplicaSettings, .grantAccountReplica: "~"
        case .tagResource, .updateSettings, .updateSetting, .updateEncryption: "~"
        }
    }

    /// What the step does, for people: `create index gsi-device-id (device_id, created_at)`. A new
    /// table's settings are in ``details``.
    public var summary: String {
        switch self {
        case .createTable:
            return "create table"
        case .deleteIndex(let name, let replacing):
            return replacing ? "delete index \(name) (to recreate it)" : "delete index \(name)"
        case .updateSetting(let change):
            return change.summary
        case .updateSettings(let change):
            return change.summary
        case .createIndex(let index, let replacing):
            // With its throughput settings, so that what the index starts with shows: `; warm 20000 read`.
            let text =
                "create index \(index.name) (\(index.describeKeys(\.name)); \(index.projection.type.rawValue)"
                + StatusReport.indexNotes(index.throughput) + ")"
            return replacing ? text + " (recreated)" : text
        case .updateEncryption(let from, let to):
            let key = to.kmsKey.map { " \($0)" } ?? ""
            return "encryption \(from.rawValue) -> \(to.type.rawValue)\(key)"
        case .enableTimeToLive(let attribute, let previous):
            return previous == nil
                ? "enable TTL on \(attribute)"
                : "enable TTL on \(attribute) (second phase, an hour after the first)"
        case .disableTimeToLive(let attribute):
            return "disable TTL on \(attribute)"
        case .updateOperatedSetting(let change):
            return change.summary
        case .tagResource(let tags, let previous):
            return "tag "
                + tags.keys.sorted().map { key in
                    let value = tags[key] ?? ""
                    return previous[key].map { "\(key): \($0) -> \(value)" } ?? "\(key): \(value) (new)"
                }.joined(separator: ", ")
        case .untagResource(let keys):
            return "untag " + keys.sorted().joined(separator: ", ")
        case .createReplica(let replica):
            let overrides = replica.overrideSummary
            return "create replica in \(replica.region)" + (overrides.isEmpty ? "" : " (\(overrides))")
        case .updateReplica(let replica, _):
            return "update replica in \(replica.region): \(replica.overrideSummary)"
        case .updateReplicaSettings(let region, let change):
            return "replica in \(region): \(change.summary)"
        case .deleteReplica(let region):
            return "delete replica in \(region) (deletes its items in \(region))"
        case .createStrongGlobalTable(let replicas, let witness):
            return "make a strongly consistent global table: replicas in "
                + replicas.map(\.region).joined(separator: ", ")
                + (witness.map { ", witness in \($0)" } ?? "")
        case .createAccountReplica(let replica):
            return "create replica in \(replica.region), account \(replica.account ?? "?") (target "
                + "\(replica.target ?? "?"))"
        case .deleteAccountReplica(let region, let account):
            return "delete replica in \(region), account \(account) (deletes its items there)"
        case .grantAccountReplica(let region, let account):
            return "restore the replication statement of the replica in \(region), account \(account) "
                + "(\(AccountReplicaGrants.replicationSid))"
        }
    }

    /// More lines for a reviewer, shown under the summary: every setting of a table to be created.
    public var details: [String] {
        if case .createTable(let schema) = self { return CreationDetails.lines(schema) }
        if case .createAccountReplica(let replica) = self {
            let account = replica.account ?? "?"
            return [
                "the table's resource policy gains (or updates) statement \(AccountReplicaGrants.replicationSid): "
                    + "replication.dynamodb.amazonaws.com may ReadDataForReplication, WriteDataForReplication, "
                    + "ReplicateSettings for this table and the replica in \(account)",
                "and statement \(AccountReplicaGrants.joinSid): account \(account) may AssociateTableReplica",
                "the table's GlobalTableSettingsReplicationMode is ENABLED; the replica is made by CreateTable in "
                    + "\(account), \(replica.region), with GlobalTableSourceArn and a policy of its own for the same "
                    + "principal",
            ]
        }
        return []
    }

    /// What a reviewer must not miss: deleting a live index loses what queries on it rely on, and
    /// DynamoDB's rules (``DynamoDBRules``) that make a step wait or limit how often it may run.
    /// The region whose replica, and every item in it, the step deletes (in this account or another):
    /// apply asks for it by name first.
    public var deletedReplicaRegion: String? {
        switch self {
        case .deleteReplica(let region), .deleteAccountReplica(let region, _): region
        default: nil
        }
    }

    public var warning: String? {
        switch self {
        case .deleteIndex(let name, let replacing):
            return replacing
                ? "index \(name) cannot be queried from its deletion until it is created again and backfilled"
                : "index \(name) is deleted: queries and scans that use it will fail"
        case .enableTimeToLive(_, let previous?):
            return DynamoDBRules.timeToLiveSecondPhaseWarning(from: previous)
        case .updateSettings(let change):
            return change.billingMode.map(DynamoDBRules.billingSwitchWarning(to:))
        case .deleteReplica(let region), .deleteAccountReplica(let region, _):
            return "the replica in \(region) and every item in it are deleted; apply asks for the region by "
                + "name first, or --yes-delete-replicas (which apply to targets needs)"
        default:
            return nil
        }
    }

    /// Whether the step is an UpdateTimeToLive, which DynamoDB allows once per table per hour.
    public var changesTimeToLive: Bool {
        switch self {
        case .enableTimeToLive, .disableTimeToLive: true
        default: false
        }
    }

    /// The ``OperatedSetting`` the step changes, if it is one.
    public var operatedSetting: OperatedSetting? {
        if case .updateOperatedSetting(let change) = self { change.setting } else { nil }
    }

    /// The step's kind for `--json`: `create_table`, `delete_index`...
    public var kind: String {
        switch self {
        case .createTable: "create_table"
        case .deleteIndex: "delete_index"
        case .updateSetting(let change):
            if case .ownUpdate(let stepKind)? = change.setting?.operation {
                stepKind
            } else {
                "update_setting"
            }
        case .updateSettings: "update_settings"
        case .createIndex: "create_index"
        case .updateEncryption: "update_encryption"
        case .enableTimeToLive: "enable_ttl"
        case .disableTimeToLive: "disable_ttl"
        case .updateOperatedSetting(let change): change.kind
        case .tagResource: "tag"
        case .untagResource: "untag"
        case .createReplica: "create_replica"
        case .updateReplica: "update_replica"
        case .updateReplicaSettings: "update_replica_settings"
        case .deleteReplica: "delete_replica"
        case .createStrongGlobalTable: "create_strong_global_table"
        case .createAccountReplica: "create_account_replica"
        case .deleteAccountReplica: "delete_account_replica"
        case .grantAccountReplica: "grant_account_replica"
        }
    }
}

/// The changes one UpdateTable makes to billing, capacity, the ``ThroughputSetting``s (on-demand
/// limits, warm throughput) of the table and its GSIs, the simple table settings (``TableSetting``:
/// deletion protection) and stream.
public struct SettingsChange: Sendable, Equatable {
    /// The billing mode to switch to, if it changes.
    public var billingMode: BillingMode?
    /// Table capacity to set (with `PROVISIONED`).
    public var capacity: Capacity?
    /// GSIs whose capacity to set, by name (with `PROVISIONED`).
    public var indexCapacities: [String: Capacity]
    /// The simple table settings to set (``TableSetting``), in ``TableSetting/all``'s order.
    public var settings: [TableSettingChange]
    /// The stream change: `.some(nil)` turns the stream off.
    public var stream: StreamChange?
    /// The ``ThroughputSetting``s to change, on the table and on GSIs: in ``ThroughputSetting/all``'s
    /// order, the table's before its indexes', indexes by name.
    public var throughput: [ThroughputChange]

    public init(
        billingMode: BillingMode? = nil, capacity: Capacity? = nil, indexCapacities: [String: Capacity] = [:],
        settings: [TableSettingChange] = [], stream: StreamChange? = nil, throughput: [ThroughputChange] = []
    ) {
        self.billingMode = billingMode
        self.capacity = capacity
        self.indexCapacities = indexCapacities
        self.settings = settings
        self.stream = stream
        self.throughput = throughput
    }

    public var isEmpty: Bool {
        billingMode == nil && capacity == nil && indexCapacities.isEmpty && settings.isEmpty
            && stream == nil && throughput.isEmpty
    }

    /// The changes of the table's ``ThroughputSetting``s (index nil) or of one GSI's.
    func throughput(ofIndex index: String?) -> [ThroughputChange] {
        throughput.filter { $0.index == index }
    }

    var summary: String {
        var parts: [String] = []
        if let billingMode { parts.append("billing -> \(billingMode.rawValue)") }
        if let capacity { parts.append("capacity -> \(capacity.read)/\(capacity.write)") }
        for name in indexCapacities.keys.sorted() {
            if let capacity = indexCapacities[name] {
                parts.append("\(name) capacity -> \(capacity.read)/\(capacity.write)")
            }
        }
        parts += throughput.compactMap { change in change.setting?.summary(change) }
        parts += settings.map(\.summary)
        if let stream { parts.append(stream.summary) }
        return parts.joined(separator: ", ")
    }
}

/// Read and write capacity units.
public struct Capacity: Sendable, Equatable {
    public var read: Int
    public var write: Int

    public init(read: Int, write: Int) {
        self.read = read
        self.write = write
    }
}

/// A stream being turned on, off, or to another view type (which DynamoDB does as off, then on).
public struct StreamChange: Sendable, Equatable {
    public var from: StreamViewType?
    public var to: StreamViewType?

    public init(from: StreamViewType?, to: StreamViewType?) {
        self.from = from
        self.to = to
    }

    var summary: String {
        "stream \(from?.rawValue ?? "off") -> \(to?.rawValue ?? "off")"
    }
}

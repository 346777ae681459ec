/// A replica of a global table (version 2019.11.21) in another region (`replicas = { { region =
/// "us-west-2", ... } }`): the same table, kept in step by DynamoDB, with the few settings DynamoDB
/// lets a replica have of its own. Everything else (keys, indexes, billing, stream, TTL) is the table's.
///
/// A replica is described once here: its Lua fields (``LuaField``), what validation checks
/// (`SchemaValidator+Replicas`), the `ReplicaUpdates` member a `Create` or `Update` carries, and its
/// words in a plan. The table's own region is never listed: the schema is the table there.
public struct Replica: Sendable, Equatable {
    /// The region (`region`): `us-west-2`.
    public var region: String
    /// The AWS account the replica is in (`account = "444455556666"`), for a multi-account global table;
    /// nil for a replica in the table's own account. Each replica of a multi-account table is in an
    /// account of its own, made there with CreateTable and `GlobalTableSourceArn`.
    public var account: String?
    /// The targets-file entry (`target = "dr"`) whose credentials act in ``account``: its account guard
    /// must prove that account before anything is sent there.
    public var target: String?
    /// The KMS key of the replica's encryption (`kms_key`), in the replica's region: required when the
    /// table is encrypted with a customer key (a key lives in one region), not allowed otherwise.
    public var kmsKey: String?
    /// The replica's table class (`table_class`); nil for the table's.
    public var tableClass: TableClass?
    /// The replica's read capacity (`read_capacity`, `ProvisionedThroughputOverride`), with
    /// `PROVISIONED`; nil for the table's. Writes are the table's everywhere: each replica applies
    /// every write.
    public var readCapacity: Int?
    /// The replica's on-demand read limit (`on_demand_throughput = { max_read = N }`,
    /// `OnDemandThroughputOverride`), with
    /// `PAY_PER_REQUEST`; nil for the table's.
    public var maxRead: Int?
    /// Per-index overrides (`gsis = { ["gsi-status"] = { read_capacity = 5 } }`), by index name.
    public var indexes: [ReplicaIndex]
    /// The replica's deletion protection (`deletion_protection`): each replica is a table of its own that
    /// DeleteTable may be refused on. Nil leaves the replica's as it is.
    public var deletionProtection: Bool?
    /// The replica's point-in-time recovery (`point_in_time_recovery`), kept per region. Nil leaves it.
    public var pointInTimeRecovery: Bool?
    /// The replica's tags (`tags`): `"propagate"` for the table's own, or its own; DynamoDB does not
    /// copy tags to replicas. Nil leaves them.
    public var tags: ReplicaTags?

    public init(
        region: String, kmsKey: String? = nil, tableClass: TableClass? = nil, readCapacity: Int? = nil,
        maxRead: Int? = nil, indexes: [ReplicaIndex] = [], deletionProtection: Bool? = nil,
        pointInTimeRecovery: Bool? = nil, tags: ReplicaTags? = nil, account: String? = nil,
        target: String? = nil
    ) {
        self.region = region
        self.account = account
        self.target = target
        self.kmsKey = kmsKey
        self.tableClass = tableClass
        self.readCapacity = readCapacity
        self.maxRead = maxRead
        self.indexes = indexes
        self.deletionProtection = deletionProtection
        self.pointInTimeRecovery = pointInTimeRecovery
        self.tags = tags
    }

    /// The Lua fields of a replica, in the order documents write them.
    public static let fields = [
        "region", "account", "target", "kms_key", "table_class", "read_capacity", "on_demand_throughput",
        "gsis",
        "deletion_protection",
        "point_in_time_recovery", "tags",
    ]

    /// Whether the replica is in another account (a multi-account global table's replica).
    public var isInAnotherAccount: Bool { account != nil }

    /// The fields an account replica may have: its settings are the table's ("unlike same-account global
    /// tables, these settings cannot be overridden per replica"), and the ones DynamoDB keeps per account
    /// (deletion protection, tags...) are not managed in the other account by this tool yet.
    public static let accountReplicaFields = ["region", "account", "target"]

    /// The settings DynamoDB keeps per region and the replica's ReplicaUpdates do not carry: set with the
    /// table's own operations, sent to the replica's region.
    public var regionalSettings: Replica {
        Replica(
            region: region, deletionProtection: deletionProtection, pointInTimeRecovery: pointInTimeRecovery,
            tags: tags, account: account, target: target)
    }

    /// The replica without ``regionalSettings``: what a ReplicaUpdates `Create` or `Update` carries.
    public var replicationSettings: Replica {
        Replica(
            region: region, kmsKey: kmsKey, tableClass: tableClass, readCapacity: readCapacity,
            maxRead: maxRead,
            indexes: indexes, account: account, target: target)
    }
    /// The Lua fields of a replica's index override.
    public static let indexFields = ["read_capacity", "on_demand_throughput"]
    /// The fields of a replica's `on_demand_throughput`: its writes are the table's, so only reads.
    public static let onDemandFields = ["max_read"]

    /// The overrides as a plan shows them: `class STANDARD_INFREQUENT_ACCESS, read capacity 5`.
    public var overrideSummary: String {
        var parts: [String] = []
        if let account { parts.append("account \(account)" + (target.map { " (target \($0))" } ?? "")) }
        if let tableClass { parts.append("class \(tableClass)") }
        if let kmsKey { parts.append("key \(kmsKey)") }
        if let readCapacity { parts.append("read capacity \(readCapacity)") }
        if let maxRead { parts.append("on-demand maximum \(maxRead) read") }
        for index in indexes {
            let values = [
                index.readCapacity.map { "read capacity \($0)" },
                index.maxRead.map { "on-demand maximum \($0) read" },
            ].compactMap { $0 }
            if !values.isEmpty { parts.append("\(index.name) " + values.joined(separator: ", ")) }
        }
        if let deletionProtection { parts.append("deletion protection \(deletionProtection ? "on" : "off")") }
        if let pointInTimeRecovery {
            parts.append("point-in-time recovery \(pointInTimeRecovery ? "on" : "off")")
        }
        switch tags {
        case .propagate?: parts.append("the table's tags")
        case .given(let tags)?:
            parts.append(
                tags.isEmpty
                    ? "no tags"
                    : "tags " + tags.keys.sorted().map { "\($0)=\(tags[$0] ?? "")" }.joined(separator: ", "))
        case nil: break
        }
        return parts.joined(separator: ", ")
    }
}

/// A replica's tags: the table's (`"propagate"`), or its own (a table of string to string).
public enum ReplicaTags: Sendable, Equatable {
    case propagate
    case given([String: String])

    /// The tags the replica should have, given the table's.
    public func wanted(tableTags: [String: String]) -> [String: String] {
        switch self {
        case .propagate: tableTags
        case .given(let tags): tags
        }
    }
}

/// A replica's override of one GSI's read side (`ReplicaGlobalSecondaryIndex`).
public struct ReplicaIndex: Sendable, Equatable {
    /// The table's GSI it applies to.
    public var name: String
    /// `ProvisionedThroughputOverride.ReadCapacityUnits`, with `PROVISIONED`.
    public var readCapacity: Int?
    /// `OnDemandThroughputOverride.MaxReadRequestUnits`, with `PAY_PER_REQUEST`.
    public var maxRead: Int?

    public init(name: String, readCapacity: Int? = nil, maxRead: Int? = nil) {
        self.name = name
        self.readCapacity = readCapacity
        self.maxRead = maxRead
    }
}

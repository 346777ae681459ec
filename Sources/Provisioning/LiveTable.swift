import Schema

/// A table as DynamoDB reports it, normalised into the terms of `TableSchema` so the two can be
/// compared field by field (see ``LiveTable/init(describeTable:timeToLive:continuousBackups:tags:)``).
public struct LiveTable: Sendable, Equatable, ThroughputHolder {
    public var name: String
    public var arn: String
    /// `CREATING`, `UPDATING`, `DELETING`, `ACTIVE`, `ARCHIVING`...
    public var status: String
    public var partitionKey: KeyAttribute
    public var sortKey: KeyAttribute?
    public var globalSecondaryIndexes: [LiveIndex]
    public var localSecondaryIndexes: [LocalSecondaryIndex]
    public var billingMode: BillingMode
    public var readCapacity: Int?
    public var writeCapacity: Int?
    /// Each ``ThroughputSetting`` DescribeTable reports on the table, by Lua field (on-demand limits: -1,
    /// no limit, read as absent; warm throughput: every table has one).
    public var throughput: [String: ThroughputUnits]
    /// Whether a ``ThroughputSetting`` of the table or an index is still being changed (warm
    /// throughput's `Status: UPDATING`).
    public var throughputUpdating: Bool
    public var timeToLive: LiveTimeToLive
    public var encryption: LiveEncryption
    /// The simple table-level settings as DescribeTable reports them (``TableSetting``).
    public var settings: TableSettings
    public var deletionProtection: Bool {
        get { settings.deletionProtection }
        set { settings.deletionProtection = newValue }
    }
    public var stream: StreamViewType?
    public var tableClass: TableClass {
        get { settings.tableClass }
        set { settings.tableClass = newValue }
    }
    public var tags: [String: String]
    /// Each ``OperatedSetting`` as its own read reported it, by Lua field; one not read (a policy the
    /// schema leaves alone) is absent. Typed views: ``pointInTimeRecovery``, ``resourcePolicy``...
    public var operatedSettings: [String: OperatedSettingState] = [:]
    public var itemCount: Int?
    public var sizeBytes: Int?
    /// What DescribeTable reported that the model cannot represent (``UnmanagedField``): shown by
    /// `status` as "not managed", and a blocked change in every plan, so the table is never called up
    /// to date while it holds something no schema can say.
    public var unmanaged: [UnmanagedField] = []
    /// The replicas in other regions (a global table), as DescribeTable lists them.
    public var replicas: [LiveReplica] = []
    /// The witness of a strongly consistent global table.
    public var witnesses: [LiveWitness] = []
    /// `MultiRegionConsistency` as DescribeTable reports it; `EVENTUAL` when it says nothing (a table
    /// in one region, or a global table made before the member existed).
    public var multiRegionConsistency: MultiRegionConsistency = .eventual
    /// `GlobalTableSettingsReplicationMode` as DescribeTable reports it: `ENABLED` on a multi-account
    /// global table (and a table prepared as its source), `ENABLED_WITH_OVERRIDES` on a same-account one;
    /// nil when it says nothing.
    public var settingsReplication: SettingsReplicationMode?

    public init(
        name: String, arn: String = "", status: String = "ACTIVE", partitionKey: KeyAttribute,
        sortKey: KeyAttribute? = nil, globalSecondaryIndexes: [LiveIndex] = [],
        localSecondaryIndexes: [LocalSecondaryIndex] = [], billingMode: BillingMode = .payPerRequest,
        readCapacity: Int? = nil, writeCapacity: Int? = nil, onDemandThroughput: OnDemandThroughput? = nil,
        warmThroughput: WarmThroughput? = nil, throughputUpdating: Bool = false,
        timeToLive: LiveTimeToLive = .disabled,
        encryption: LiveEncryption = LiveEncryption(type: .default), deletionProtection: Bool = false,
        pointInTimeRecovery: Bool = false, recoveryPeriodDays: Int? = nil, stream: StreamViewType? = nil,
        tableClass: TableClass = .standard,
        tags: [String: String] = [:], resourcePolicy: String? = nil, resourcePolicyRevision: String? = nil,
        resourcePolicyReadError: String? = nil,
        itemCount: Int? = nil, sizeBytes: Int? = nil
    ) {
        self.name = name
        self.arn = arn
        self.status = status
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.globalSecondaryIndexes = globalSecondaryIndexes
        self.localSecondaryIndexes = localSecondaryIndexes
        self.billingMode = billingMode
        self.readCapacity = readCapacity
        self.writeCapacity = writeCapacity
        self.throughput = [:]
        self.throughputUpdating = throughputUpdating
        self.timeToLive = timeToLive
        self.encryption = encryption
        self.settings = TableSettings(deletionProtection: deletionProtection, tableClass: tableClass)
        self.stream = stream
        self.tags = tags
        self.itemCount = itemCount
        self.sizeBytes = sizeBytes
        self.onDemandThroughput = onDemandThroughput
        self.warmThroughput = warmThroughput
        self.pointInTimeRecovery = pointInTimeRecovery
        self.recoveryPeriodDays = recoveryPeriodDays
        self.resourcePolicy = resourcePolicy
        self.resourcePolicyRevision = resourcePolicyRevision
        self.resourcePolicyReadError = resourcePolicyReadError
    }

    /// Whether the table, every index, replica and witness are ACTIVE and no index is backfilling: the
    /// state in which the next change may be made (DynamoDB takes one replica change at a time).
    public var isSettled: Bool {
        status == "ACTIVE" && !throughputUpdating
            && globalSecondaryIndexes.allSatisfy { $0.status == "ACTIVE" && !$0.isBackfilling }
            && replicas.allSatisfy { $0.status == "ACTIVE" } && witnesses.allSatisfy { $0.status == "ACTIVE" }
    }
}

/// A global secondary index as DynamoDB reports it.
public struct LiveIndex: Sendable, Equatable {
    public var index: GlobalSecondaryIndex
    /// `CREATING`, `UPDATING`, `DELETING`, `ACTIVE`.
    public var status: String
    public var isBackfilling: Bool

    public init(index: GlobalSecondaryIndex, status: String = "ACTIVE", isBackfilling: Bool = false) {
        self.index = index
        self.status = status
        self.isBackfilling = isBackfilling
    }

    public var name: String { index.name }
}

/// TTL as DescribeTimeToLive reports it.
public struct LiveTimeToLive: Sendable, Equatable {
    /// `ENABLED`, `ENABLING`, `DISABLED`, `DISABLING`.
    public var status: String
    public var attribute: String?

    public init(status: String, attribute: String? = nil) {
        self.status = status
        self.attribute = attribute
    }

    public static let disabled = LiveTimeToLive(status: "DISABLED")

    /// The attribute TTL is on (or turning on) for; nil when off or turning off.
    public var effectiveAttribute: String? {
        status == "ENABLED" || status == "ENABLING" ? attribute : nil
    }
}

/// Encryption at rest as DescribeTable reports it. DynamoDB reports the key of `KMS` encryption as an
/// ARN, whether it is the AWS-managed key or a customer key, so the kind cannot always be told apart
/// from the report alone: see ``TableDiff``.
public struct LiveEncryption: Sendable, Equatable {
    /// `DEFAULT` when no SSE description is reported (the AWS-owned key), otherwise `KMS`.
    public var type: EncryptionType
    /// The key ARN DynamoDB reports for KMS encryption.
    public var keyARN: String?

    public init(type: EncryptionType, keyARN: String? = nil) {
        self.type = type
        self.keyARN = keyARN
    }
}

import JSON

/// Everything about a DynamoDB table that this tool creates and converges: keys, indexes, billing,
/// TTL, encryption, protection, backups, stream, class, tags, resource policy and replicas.
///
/// A schema is a plain value that may be invalid: the Lua layer builds one from whatever a script
/// says, then ``validate()`` reports every problem with its field path. Fields that name DynamoDB
/// keywords keep the text given (``SchemaKeyword``), and pairs that DynamoDB ties together (billing
/// mode and capacities, projection type and non-key attributes, encryption type and key) are separate
/// fields, so no user input is unrepresentable and nothing is rejected before validation can say why.
/// Field paths in problems use the Lua names (`gsis[2].sort_key.type`), 1-based like Lua.
public struct TableSchema: Sendable, Equatable, ThroughputHolder {
    /// The table name (`name`): 3 to 255 of `[A-Za-z0-9_.-]`.
    public var name: String
    /// The partition key (`partition_key`); an empty name means "not given" and fails validation.
    public var partitionKey: KeyAttribute
    /// The sort key (`sort_key`), if any.
    public var sortKey: KeyAttribute?
    /// Global secondary indexes (`gsis`), at most 20, in the order they are created and shown.
    public var globalSecondaryIndexes: [GlobalSecondaryIndex]
    /// Local secondary indexes (`lsis`), at most 5; only with a table sort key.
    public var localSecondaryIndexes: [LocalSecondaryIndex]
    /// The billing mode (`billing_mode`).
    public var billingMode: BillingMode
    /// Table read capacity units (`read_capacity`): required (at least 1) with `PROVISIONED`, not
    /// allowed with `PAY_PER_REQUEST`.
    public var readCapacity: Int?
    /// Table write capacity units (`write_capacity`), with the same rules as ``readCapacity``.
    public var writeCapacity: Int?
    /// The table's values of each ``ThroughputSetting`` (`on_demand_throughput`, `warm_throughput`), by
    /// Lua field; a setting left out is absent.
    public var throughput: [String: ThroughputUnits]
    // `onDemandThroughput` (none removes a live table's limits) and `warmThroughput` (none leaves
    // DynamoDB's value) are ``ThroughputHolder``'s views of it.
    /// The TTL attribute (`ttl`), if items expire. Not part of CreateTable: set with UpdateTimeToLive.
    public var ttlAttribute: String?
    /// Encryption at rest (`encryption`).
    public var encryption: Encryption
    /// The table-level settings each described once by a ``TableSetting`` (`deletion_protection`,
    /// `table_class`).
    public var settings: TableSettings
    /// Whether the table refuses DeleteTable (`deletion_protection`).
    public var deletionProtection: Bool {
        get { settings.deletionProtection }
        set { settings.deletionProtection = newValue }
    }
    /// The stream view type (`stream`), or `nil` for no stream.
    public var stream: StreamViewType?
    /// The table class (`table_class`), a ``TableSetting``.
    public var tableClass: TableClass {
        get { settings.tableClass }
        set { settings.tableClass = newValue }
    }
    /// Tags (`tags`): at most 50, keys 1-128 characters without the `aws:` prefix, values up to 256.
    public var tags: [String: String]
    /// The settings read and changed with operations of their own (``OperatedSetting``: point-in-time
    /// recovery, the resource policy), by Lua field, in the schema document's form; a setting not here
    /// has its ``OperatedSetting/absentValue``. Typed views: ``pointInTimeRecovery``,
    /// ``recoveryPeriodDays``, ``resourcePolicy``.
    public var operatedSettings: [String: JSONValue] = [:]
    /// The table's replicas in other regions (`replicas`): a global table (version 2019.11.21). Empty
    /// for a table in one region. See ``Replica``.
    public var replicas: [Replica]
    /// How the replicas agree (`multi_region_consistency`); fixed when the first replica is made.
    public var multiRegionConsistency: MultiRegionConsistency
    /// The witness region of a multi-Region strongly consistent table (`witness = { region = }`): it
    /// holds the replicated changes, not a readable table, and stands in for a third replica.
    public var witnessRegion: String?
    /// Whether the table's settings are replicated to its replicas in other accounts
    /// (`settings_replication`); nil leaves it to DynamoDB. A multi-account global table's source needs
    /// it `ENABLED` (see ``SettingsReplicationMode``).
    public var settingsReplication: SettingsReplicationMode?

    /// A schema; everything but the name and partition key has DynamoDB's defaults (on demand, key
    /// owned by AWS, standard class, nothing else).
    public init(
        name: String,
        partitionKey: KeyAttribute,
        sortKey: KeyAttribute? = nil,
        globalSecondaryIndexes: [GlobalSecondaryIndex] = [],
        localSecondaryIndexes: [LocalSecondaryIndex] = [],
        billingMode: BillingMode = .payPerRequest,
        readCapacity: Int? = nil,
        writeCapacity: Int? = nil,
        onDemandThroughput: OnDemandThroughput? = nil,
        warmThroughput: WarmThroughput? = nil,
        ttlAttribute: String? = nil,
        encryption: Encryption = .default,
        deletionProtection: Bool = false,
        pointInTimeRecovery: Bool = false,
        recoveryPeriodDays: Int? = nil,
        stream: StreamViewType? = nil,
        tableClass: TableClass = .standard,
        tags: [String: String] = [:],
        resourcePolicy: ResourcePolicySetting = .unmanaged,
        replicas: [Replica] = [],
        multiRegionConsistency: MultiRegionConsistency = .eventual,
        witnessRegion: String? = nil,
        settingsReplication: SettingsReplicationMode? = nil
    ) {
        self.name = name
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.globalSecondaryIndexes = globalSecondaryIndexes
        self.localSecondaryIndexes = localSecondaryIndexes
        self.billingMode = billingMode
        self.readCapacity = readCapacity
        self.writeCapacity = writeCapacity
        self.throughput = [:]
        self.ttlAttribute = ttlAttribute
        self.encryption = encryption
        self.settings = TableSettings(deletionProtection: deletionProtection, tableClass: tableClass)
        self.stream = stream
        self.tags = tags
        self.replicas = replicas
        self.multiRegionConsistency = multiRegionConsistency
        self.witnessRegion = witnessRegion
        self.settingsReplication = settingsReplication
        self.onDemandThroughput = onDemandThroughput
        self.warmThroughput = warmThroughput
        self.pointInTimeRecovery = pointInTimeRecovery
        self.recoveryPeriodDays = recoveryPeriodDays
        self.resourcePolicy = resourcePolicy
    }

    /// Whether the table is (to be) a global table: it has replicas or a witness.
    public var isGlobal: Bool { !replicas.isEmpty || witnessRegion != nil }

    /// Whether the table is (to be) a multi-account global table: a replica names another account.
    public var isMultiAccount: Bool { replicas.contains(where: \.isInAnotherAccount) }

    /// Whether plan and apply read `setting` for this schema: when it gives the setting (or always has
    /// it), and the resource policy of a multi-account global table, whose apply keeps its replicas'
    /// statements in it even when the schema leaves the rest of the policy alone (`iam` grants the
    /// policy's actions on such a table for the same reason).
    public func reads(_ setting: OperatedSetting) -> Bool {
        setting.value(in: self) != nil
            || (setting.field == OperatedSetting.resourcePolicy.field && isMultiAccount)
    }

    /// The names of the global secondary indexes, in order.
    public var globalSecondaryIndexNames: [String] {
        globalSecondaryIndexes.map(\.name)
    }

    /// The attribute definitions DynamoDB needs: exactly the attributes that the table's and its
    /// indexes' keys use, each once, sorted by name (UTF-8 byte order) so output is deterministic.
    /// When an invalid schema gives one attribute two types, the first use (in key-use order) wins.
    public var attributeDefinitions: [KeyAttribute] {
        var seen: Set<ExactString> = []
        var definitions: [KeyAttribute] = []
        for use in keyUses where !use.key.name.isEmpty && seen.insert(ExactString(use.key.name)).inserted {
            definitions.append(use.key)
        }
        return definitions.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Every key of the table and its indexes with the path of its field, in field order: the table's
    /// keys, then each GSI's, then each LSI's sort key.
    var keyUses: [(path: String, key: KeyAttribute)] {
        var uses: [(path: String, key: KeyAttribute)] = [("partition_key", partitionKey)]
        if let sortKey { uses.append(("sort_key", sortKey)) }
        for (index, gsi) in globalSecondaryIndexes.enumerated() {
            uses += gsi.keyUses(at: "gsis[\(index + 1)]")
        }
        for (index, lsi) in localSecondaryIndexes.enumerated() {
            uses.append(("lsis[\(index + 1)].sort_key", lsi.sortKey))
        }
        return uses
    }
}

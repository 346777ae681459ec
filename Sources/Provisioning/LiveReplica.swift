import JSON
import Schema

/// A replica of a global table as DescribeTable's `Replicas` reports it (a `ReplicaDescription`),
/// in the terms of ``Replica`` so the two compare field by field.
public struct LiveReplica: Sendable, Equatable {
    /// What the replica's own settings are, as a schema would give them.
    public var replica: Replica
    /// `CREATING`, `UPDATING`, `DELETING`, `ACTIVE`, `CREATION_FAILED`, `REGION_DISABLED`,
    /// `INACCESSIBLE_ENCRYPTION_CREDENTIALS`, `ARCHIVING`, `ARCHIVED`, `REPLICATION_NOT_AUTHORIZED`.
    public var status: String
    /// `ReplicaStatusDescription`, when DynamoDB gives one (why a replica failed).
    public var statusDescription: String?
    /// What the replica's own region reports of the settings DynamoDB keeps per region (deletion
    /// protection, point-in-time recovery, tags), read there; nil when not read (a replica that is not
    /// ACTIVE has nothing to read yet).
    public var regional: RegionalSettings?

    public init(
        replica: Replica, status: String = "ACTIVE", statusDescription: String? = nil,
        regional: RegionalSettings? = nil
    ) {
        self.replica = replica
        self.status = status
        self.statusDescription = statusDescription
        self.regional = regional
    }

    /// A replica's table as its own region reports it.
    public struct RegionalSettings: Sendable, Equatable {
        /// The replica table's ARN, in its region (what TagResource takes).
        public var arn: String
        public var deletionProtection: Bool
        public var pointInTimeRecovery: Bool
        public var tags: [String: String]

        public init(arn: String, deletionProtection: Bool, pointInTimeRecovery: Bool, tags: [String: String])
        {
            self.arn = arn
            self.deletionProtection = deletionProtection
            self.pointInTimeRecovery = pointInTimeRecovery
            self.tags = tags
        }
    }

    public var region: String { replica.region }

    /// Reads one `ReplicaDescription`; nil without a region name. `ownAccount` is the described
    /// table's: a replica whose `ReplicaArn` names another is a multi-account table's replica (its
    /// target is not something DynamoDB knows: a schema names it).
    init?(description: JSONValue, ownAccount: String? = nil) {
        guard let region = description["RegionName"]?.stringValue else { return nil }
        var replica = Replica(region: region)
        if let account = description["ReplicaArn"]?.stringValue.flatMap(Self.account(ofTableARN:)),
            let ownAccount, account != ownAccount
        {
            replica.account = account
        }
        replica.kmsKey = description["KMSMasterKeyId"]?.stringValue
        replica.tableClass = description["ReplicaTableClassSummary"]?["TableClass"]?.stringValue.map(
            TableClass.init(rawValue:))
        replica.readCapacity = description["ProvisionedThroughputOverride"]?["ReadCapacityUnits"]?.intValue
        replica.maxRead = Self.limit(description["OnDemandThroughputOverride"])
        for index in description["GlobalSecondaryIndexes"]?.arrayValue ?? [] {
            guard let name = index["IndexName"]?.stringValue else { continue }
            let override = ReplicaIndex(
                name: name,
                readCapacity: index["ProvisionedThroughputOverride"]?["ReadCapacityUnits"]?.intValue,
                maxRead: Self.limit(index["OnDemandThroughputOverride"]))
            if override.readCapacity != nil || override.maxRead != nil { replica.indexes.append(override) }
        }
        replica.indexes.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        self.init(
            replica: replica, status: description["ReplicaStatus"]?.stringValue ?? "ACTIVE",
            statusDescription: description["ReplicaStatusDescription"]?.stringValue)
    }

    /// `MaxReadRequestUnits`; -1 (no limit) is none.
    private static func limit(_ value: JSONValue?) -> Int? {
        guard let units = value?["MaxReadRequestUnits"]?.intValue, units > 0 else { return nil }
        return units
    }

    /// The replicas of `table` (DescribeTable's `Table`) other than the table itself: DynamoDB may
    /// list the described region among them, which the table's ARN names.
    static func replicas(of table: JSONValue) -> [LiveReplica] {
        let ownRegion = table["TableArn"]?.stringValue.flatMap(region(ofTableARN:))
        let ownAccount = table["TableArn"]?.stringValue.flatMap(account(ofTableARN:))
        return (table["Replicas"]?.arrayValue ?? []).compactMap {
            LiveReplica(description: $0, ownAccount: ownAccount)
        }
        .filter { $0.region != ownRegion }
    }

    /// The witnesses (`GlobalTableWitnesses`) as region and `WitnessStatus`.
    static func witnesses(of table: JSONValue) -> [LiveWitness] {
        (table["GlobalTableWitnesses"]?.arrayValue ?? []).compactMap { witness in
            guard let region = witness["RegionName"]?.stringValue else { return nil }
            return LiveWitness(region: region, status: witness["WitnessStatus"]?.stringValue ?? "ACTIVE")
        }
    }

    /// `us-east-1` from `arn:aws:dynamodb:us-east-1:123456789012:table/name`.
    static func region(ofTableARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 && !parts[3].isEmpty ? String(parts[3]) : nil
    }

    /// `123456789012` from `arn:aws:dynamodb:us-east-1:123456789012:table/name`.
    static func account(ofTableARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 && !parts[4].isEmpty ? String(parts[4]) : nil
    }

    /// The members of a `ReplicaDescription` the model reads or knowingly ignores: anything else is an
    /// ``UnmanagedField`` (``DescribeTableShape``).
    static let managedMembers = [
        "RegionName", "KMSMasterKeyId", "ReplicaTableClassSummary", "ProvisionedThroughputOverride",
        "OnDemandThroughputOverride", "GlobalSecondaryIndexes", "GlobalTableSettingsReplicationMode",
    ]
    static let harmlessMembers = [
        "ReplicaStatus", "ReplicaStatusDescription", "ReplicaStatusPercentProgress",
        "ReplicaInaccessibleDateTime", "WarmThroughput", "ReplicaArn",
    ]
}

/// The witness region of a strongly consistent global table, as `GlobalTableWitnesses` reports it.
public struct LiveWitness: Sendable, Equatable {
    public var region: String
    /// `CREATING`, `DELETING`, `ACTIVE`.
    public var status: String

    public init(region: String, status: String = "ACTIVE") {
        self.region = region
        self.status = status
    }
}

import JSON
import Schema

extension LiveTable {
    /// Normalises DescribeTable and DescribeTimeToLive responses and the table's tags (and, for callers
    /// that have one, a DescribeContinuousBackups response; ``Provisioner`` reads each
    /// ``OperatedSetting`` itself): a missing billing summary means `PROVISIONED` (DynamoDB leaves it out for tables
    /// that were always provisioned), a missing table class means `STANDARD`, a missing or disabled SSE
    /// description means the AWS-owned key, on-demand capacity is no capacity, and a disabled stream is
    /// no stream.
    public init(
        describeTable: JSONValue, timeToLive: JSONValue? = nil, continuousBackups: JSONValue? = nil,
        tags: [String: String] = [:]
    ) throws(ProvisioningError) {
        let reader = ResponseReader(operation: "DescribeTable")
        let table = try reader.object(describeTable["Table"], at: "Table")
        let name = try reader.string(table["TableName"], at: "Table.TableName")
        let attributeTypes = Self.attributeTypes(table["AttributeDefinitions"])
        let keys = try reader.keySchema(table["KeySchema"], types: attributeTypes, at: "Table.KeySchema")
        // The table key has one element of each kind; anything more is listed by DescribeTableShape.
        let billing =
            table["BillingModeSummary"]?["BillingMode"]?.stringValue.map(BillingMode.init(rawValue:))
            ?? .provisioned
        let throughput = billing == .provisioned ? Self.capacity(table["ProvisionedThroughput"]) : nil
        var indexes: [LiveIndex] = []
        for (offset, element) in (table["GlobalSecondaryIndexes"]?.arrayValue ?? []).enumerated() {
            let path = "Table.GlobalSecondaryIndexes[\(offset)]"
            let indexKeys = try reader.keySchema(
                element["KeySchema"], types: attributeTypes, at: path + ".KeySchema")
            let capacity = billing == .provisioned ? Self.capacity(element["ProvisionedThroughput"]) : nil
            var index = GlobalSecondaryIndex(
                name: try reader.string(element["IndexName"], at: path + ".IndexName"),
                partitionKeys: indexKeys.partitions, sortKeys: indexKeys.sorts,
                projection: Self.projection(element["Projection"]), readCapacity: capacity?.read,
                writeCapacity: capacity?.write)
            index.throughput = Self.throughput(element)
            indexes.append(
                LiveIndex(
                    index: index, status: element["IndexStatus"]?.stringValue ?? "ACTIVE",
                    isBackfilling: element["Backfilling"]?.boolValue ?? false))
        }
        var localIndexes: [LocalSecondaryIndex] = []
        for (offset, element) in (table["LocalSecondaryIndexes"]?.arrayValue ?? []).enumerated() {
            let path = "Table.LocalSecondaryIndexes[\(offset)]"
            let indexKeys = try reader.keySchema(
                element["KeySchema"], types: attributeTypes, at: path + ".KeySchema")
            localIndexes.append(
                LocalSecondaryIndex(
                    name: try reader.string(element["IndexName"], at: path + ".IndexName"),
                    sortKey: indexKeys.sorts.first ?? KeyAttribute(name: ""),
                    projection: Self.projection(element["Projection"])))
        }
        let streamEnabled = table["StreamSpecification"]?["StreamEnabled"]?.boolValue ?? false
        self.init(
            name: name, arn: table["TableArn"]?.stringValue ?? "",
            status: table["TableStatus"]?.stringValue ?? "ACTIVE",
            partitionKey: keys.partitions[0], sortKey: keys.sorts.first, globalSecondaryIndexes: indexes,
            localSecondaryIndexes: localIndexes, billingMode: billing, readCapacity: throughput?.read,
            writeCapacity: throughput?.write,
            throughputUpdating: ([table] + (table["GlobalSecondaryIndexes"]?.arrayValue ?? [])).contains {
                described in ThroughputSetting.all.contains { $0.isUpdating(in: described) }
            },
            timeToLive: Self.timeToLive(timeToLive),
            encryption: Self.encryption(table["SSEDescription"]),
            stream: streamEnabled
                ? table["StreamSpecification"]?["StreamViewType"]?.stringValue.map(
                    StreamViewType.init(rawValue:)) : nil,
            tags: tags, itemCount: table["ItemCount"]?.intValue, sizeBytes: table["TableSizeBytes"]?.intValue)
        settings = TableSettings(describedTable: table)
        if let continuousBackups {
            let recovery = OperatedSetting.pointInTimeRecovery
            operatedSettings[recovery.field] = recovery.liveState(continuousBackups)
        }
        self.throughput = Self.throughput(table)
        replicas = LiveReplica.replicas(of: table)
        witnesses = LiveReplica.witnesses(of: table)
        multiRegionConsistency =
            table["MultiRegionConsistency"]?.stringValue.map(MultiRegionConsistency.init(rawValue:))
            ?? .eventual
        settingsReplication = table["GlobalTableSettingsReplicationMode"]?.stringValue.map(
            SettingsReplicationMode.init(rawValue:))
        unmanaged =
            DescribeTableShape.unmanaged(in: table) + Self.undefinedKeyAttributes(table, attributeTypes)
    }

    /// Key attributes without an attribute definition: their type is unknown (read as S), so the
    /// comparison with a schema's type would be a guess.
    private static func undefinedKeyAttributes(_ table: JSONValue, _ types: [String: AttributeType])
        -> [UnmanagedField]
    {
        var schemas: [(String, JSONValue?)] = [("Table.KeySchema", table["KeySchema"])]
        for member in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
            for (offset, index) in (table[member]?.arrayValue ?? []).enumerated() {
                let name = index["IndexName"]?.stringValue ?? String(offset)
                schemas.append(("Table.\(member)[\(name)].KeySchema", index["KeySchema"]))
            }
        }
        return schemas.flatMap { path, keySchema in
            (keySchema?.arrayValue ?? []).enumerated().compactMap { offset, element -> UnmanagedField? in
                guard let name = element["AttributeName"]?.stringValue, types[name] == nil else { return nil }
                return UnmanagedField(
                    path: "\(path)[\(offset)].AttributeName",
                    value: "'\(name)' (no AttributeDefinitions entry)")
            }
        }
    }

    private static func attributeTypes(_ value: JSONValue?) -> [String: AttributeType] {
        var types: [String: AttributeType] = [:]
        for definition in value?.arrayValue ?? [] {
            if let name = definition["AttributeName"]?.stringValue,
                let type = definition["AttributeType"]?.stringValue
            {
                types[name] = AttributeType(rawValue: type)
            }
        }
        return types
    }

    private static func capacity(_ value: JSONValue?) -> (read: Int, write: Int)? {
        guard let read = value?["ReadCapacityUnits"]?.intValue,
            let write = value?["WriteCapacityUnits"]?.intValue
        else {
            return nil
        }
        return (read, write)
    }

    /// Each ``ThroughputSetting`` the table or index `described` reports (a side of -1, 0 or none has no
    /// value; no side, no setting).
    private static func throughput(_ described: JSONValue?) -> [String: ThroughputUnits] {
        var throughput: [String: ThroughputUnits] = [:]
        for setting in ThroughputSetting.all {
            throughput[setting.field] = setting.describedValue(in: described)
        }
        return throughput
    }

    private static func projection(_ value: JSONValue?) -> Projection {
        let type = value?["ProjectionType"]?.stringValue.map(ProjectionType.init(rawValue:)) ?? .all
        let attributes = value?["NonKeyAttributes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return Projection(type: type, nonKeyAttributes: attributes)
    }

    /// TTL from a DescribeTimeToLive response.
    static func timeToLive(_ response: JSONValue?) -> LiveTimeToLive {
        guard let description = response?["TimeToLiveDescription"] else { return .disabled }
        return LiveTimeToLive(
            status: description["TimeToLiveStatus"]?.stringValue ?? "DISABLED",
            attribute: description["AttributeName"]?.stringValue)
    }

    private static func encryption(_ description: JSONValue?) -> LiveEncryption {
        guard let description, let status = description["Status"]?.stringValue,
            status == "ENABLED" || status == "ENABLING" || status == "UPDATING"
        else { return LiveEncryption(type: .default) }
        return LiveEncryption(type: .kms, keyARN: description["KMSMasterKeyArn"]?.stringValue)
    }
}

/// Reads required members of a DynamoDB response, naming the member when one is missing.
struct ResponseReader {
    let operation: String

    func object(_ value: JSONValue?, at path: String) throws(ProvisioningError) -> JSONValue {
        guard let value, value.objectValue != nil else { throw missing(path, "an object") }
        return value
    }

    func string(_ value: JSONValue?, at path: String) throws(ProvisioningError) -> String {
        guard let text = value?.stringValue else { throw missing(path, "a string") }
        return text
    }

    /// Every HASH and every RANGE element of a key schema, each in order, typed from the attribute
    /// definitions: a GSI's multi-attribute key keeps all of its elements. At least one HASH element.
    /// Elements the model cannot read (other key types, more elements than the key holds) are listed by
    /// ``DescribeTableShape``, not here.
    func keySchema(_ value: JSONValue?, types: [String: AttributeType], at path: String)
        throws(ProvisioningError)
        -> (partitions: [KeyAttribute], sorts: [KeyAttribute])
    {
        var partitions: [KeyAttribute] = []
        var sorts: [KeyAttribute] = []
        for element in value?.arrayValue ?? [] {
            guard let name = element["AttributeName"]?.stringValue else { continue }
            let key = KeyAttribute(name: name, type: types[name] ?? .string)
            switch element["KeyType"]?.stringValue {
            case "HASH": partitions.append(key)
            case "RANGE": sorts.append(key)
            default: continue
            }
        }
        guard !partitions.isEmpty else { throw missing(path, "a HASH key") }
        return (partitions, sorts)
    }

    private func missing(_ path: String, _ expected: String) -> ProvisioningError {
        .unexpectedResponse(operation: operation, detail: "\(path): expected \(expected)")
    }
}

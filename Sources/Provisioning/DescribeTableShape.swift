import JSON
import Schema

/// Which members of DescribeTable's `Table` the model reads, which it knowingly ignores, and the values
/// it can name: whatever else an answer holds is an ``UnmanagedField``.
///
/// Three kinds of member:
/// - **managed**: read into ``LiveTable`` and compared by ``TableDiff`` (keys, indexes, billing,
///   capacity, on-demand and warm throughput, SSE, stream, table class, the ``TableSetting`` members);
/// - **harmless**: known members that report state, identity or history rather than configuration a
///   script could disagree with (`TableArn`, `TableId`, `TableStatus`, `CreationDateTime`, `ItemCount`,
///   `TableSizeBytes`, `LatestStreamArn`/`Label`, `RestoreSummary`, `ArchivalSummary`, an index's
///   `IndexStatus`, `Backfilling`, `IndexArn`, `IndexSizeBytes`, `ItemCount`, throughput's
///   `NumberOfDecreasesToday` and last-change times, warm throughput's `Status`, SSE's
///   `InaccessibleEncryptionDateTime`);
/// - **everything else** (a legacy global table version, a replica setting the model does not know,
///   members DynamoDB adds later): unmanaged, so never silently taken as agreeing with a script.
///
/// A member whose value is null, an empty list or an empty object says nothing and is not listed.
enum DescribeTableShape {
    static func unmanaged(in table: JSONValue) -> [UnmanagedField] {
        var walk = Walk()
        walk.object(
            table, at: "Table",
            managed: [
                "TableName", "KeySchema", "AttributeDefinitions", "BillingModeSummary",
                "ProvisionedThroughput", "GlobalSecondaryIndexes", "LocalSecondaryIndexes",
                "SSEDescription", "StreamSpecification", "Replicas", "GlobalTableVersion",
                "MultiRegionConsistency", "GlobalTableWitnesses", "GlobalTableSettingsReplicationMode",
            ] + TableSetting.all.compactMap(\.describedPath.first) + ThroughputSetting.all.map(\.member),
            harmless: [
                "TableArn", "TableId", "TableStatus", "CreationDateTime", "ItemCount", "TableSizeBytes",
                "LatestStreamArn", "LatestStreamLabel", "RestoreSummary", "ArchivalSummary",
            ])
        walk.tableKeySchema(table["KeySchema"], at: "Table.KeySchema")
        for (offset, definition) in (table["AttributeDefinitions"]?.arrayValue ?? []).enumerated() {
            let path = "Table.AttributeDefinitions[\(offset)]"
            walk.object(definition, at: path, managed: ["AttributeName", "AttributeType"])
            walk.value(definition["AttributeType"], at: path + ".AttributeType", known: ["S", "N", "B"])
        }
        walk.object(
            table["BillingModeSummary"], at: "Table.BillingModeSummary", managed: ["BillingMode"],
            harmless: ["LastUpdateToPayPerRequestDateTime"])
        walk.value(
            table["BillingModeSummary"]?["BillingMode"], at: "Table.BillingModeSummary.BillingMode",
            known: [BillingMode.provisioned.rawValue, BillingMode.payPerRequest.rawValue])
        walk.provisionedThroughput(table["ProvisionedThroughput"], at: "Table.ProvisionedThroughput")
        walk.throughput(table, at: "Table")
        walk.object(
            table["SSEDescription"], at: "Table.SSEDescription",
            managed: ["Status", "SSEType", "KMSMasterKeyArn"],
            harmless: ["InaccessibleEncryptionDateTime"])
        walk.value(
            table["SSEDescription"]?["SSEType"], at: "Table.SSEDescription.SSEType", known: ["KMS", "AES256"])
        walk.object(
            table["StreamSpecification"], at: "Table.StreamSpecification",
            managed: ["StreamEnabled", "StreamViewType"])
        walk.value(
            table["StreamSpecification"]?["StreamViewType"], at: "Table.StreamSpecification.StreamViewType",
            known: ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"])
        for setting in TableSetting.all { walk.setting(setting, in: table) }
        for (offset, index) in (table["GlobalSecondaryIndexes"]?.arrayValue ?? []).enumerated() {
            let path = "Table.GlobalSecondaryIndexes[\(name(of: index, offset: offset))]"
            walk.object(
                index, at: path,
                managed: ["IndexName", "KeySchema", "Projection", "ProvisionedThroughput"]
                    + ThroughputSetting.all.map(\.member),
                harmless: ["IndexStatus", "Backfilling", "IndexArn", "IndexSizeBytes", "ItemCount"])
            walk.globalIndexKeySchema(index["KeySchema"], at: path + ".KeySchema")
            walk.projection(index["Projection"], at: path + ".Projection")
            walk.provisionedThroughput(index["ProvisionedThroughput"], at: path + ".ProvisionedThroughput")
            walk.throughput(index, at: path)
        }
        walk.globalTable(table)
        let tablePartition = table["KeySchema"]?.arrayValue?.first { $0["KeyType"]?.stringValue == "HASH" }
        for (offset, index) in (table["LocalSecondaryIndexes"]?.arrayValue ?? []).enumerated() {
            let path = "Table.LocalSecondaryIndexes[\(name(of: index, offset: offset))]"
            walk.object(
                index, at: path, managed: ["IndexName", "KeySchema", "Projection"],
                harmless: ["IndexArn", "IndexSizeBytes", "ItemCount"])
            walk.localIndexKeySchema(
                index["KeySchema"], tablePartition: tablePartition?["AttributeName"]?.stringValue,
                at: path + ".KeySchema")
            walk.projection(index["Projection"], at: path + ".Projection")
        }
        return walk.found
    }

    private static func name(of index: JSONValue, offset: Int) -> String {
        index["IndexName"]?.stringValue ?? String(offset)
    }

    /// The pass over one answer, collecting what it cannot place.
    private struct Walk {
        var found: [UnmanagedField] = []

        mutating func object(
            _ value: JSONValue?, at path: String, managed: [String], harmless: [String] = []
        ) {
            guard let value, !Self.saysNothing(value) else { return }
            guard let members = value.objectValue else {
                found.append(UnmanagedField(path: path, json: value))
                return
            }
            let known = Set(managed + harmless)
            for (member, memberValue) in members
            where !known.contains(member) && !Self.saysNothing(memberValue) {
                found.append(UnmanagedField(path: "\(path).\(member)", json: memberValue))
            }
        }

        /// An enumeration's value: listed when it is not one the model names.
        mutating func value(_ value: JSONValue?, at path: String, known: Set<String>) {
            guard let value, !value.isNull else { return }
            if let text = value.stringValue, known.contains(text) { return }
            found.append(UnmanagedField(path: path, json: value))
        }

        mutating func provisionedThroughput(_ value: JSONValue?, at path: String) {
            object(
                value, at: path, managed: ["ReadCapacityUnits", "WriteCapacityUnits"],
                harmless: ["LastIncreaseDateTime", "LastDecreaseDateTime", "NumberOfDecreasesToday"])
        }

        /// Each ``ThroughputSetting``'s member of the table or index `owner`: its sides, and what reports
        /// its progress.
        mutating func throughput(_ owner: JSONValue, at path: String) {
            for setting in ThroughputSetting.all {
                object(
                    owner[setting.member], at: path + "." + setting.member,
                    managed: setting.sides.map(\.member),
                    harmless: setting.describedProgress)
            }
        }

        mutating func projection(_ value: JSONValue?, at path: String) {
            object(value, at: path, managed: ["ProjectionType", "NonKeyAttributes"])
            self.value(
                value?["ProjectionType"], at: path + ".ProjectionType",
                known: ["ALL", "KEYS_ONLY", "INCLUDE"])
        }

        /// A table key: one HASH element, then at most one RANGE element.
        mutating func tableKeySchema(_ value: JSONValue?, at path: String) {
            keySchema(value, at: path, maxHash: 1, maxRange: 1)
        }

        /// A GSI key: 1 to 4 HASH elements, then 0 to 4 RANGE elements, in that order
        /// (``DynamoDBLimits/maxIndexKeyAttributes``).
        mutating func globalIndexKeySchema(_ value: JSONValue?, at path: String) {
            let limit = DynamoDBLimits.maxIndexKeyAttributes
            keySchema(value, at: path, maxHash: limit, maxRange: limit)
        }

        /// An LSI key: the table's partition key, then one RANGE element.
        mutating func localIndexKeySchema(_ value: JSONValue?, tablePartition: String?, at path: String) {
            keySchema(value, at: path, maxHash: 1, maxRange: 1)
            let hash = value?.arrayValue?.first { $0["KeyType"]?.stringValue == "HASH" }
            if let hash, let name = hash["AttributeName"]?.stringValue, let tablePartition,
                !name.hasSameBytes(as: tablePartition)
            {
                found.append(UnmanagedField(path: path, json: value ?? .null))
            }
        }

        /// Elements with the members and key types the model knows, HASH before RANGE, within the counts.
        private mutating func keySchema(_ value: JSONValue?, at path: String, maxHash: Int, maxRange: Int) {
            guard let value else { return }
            guard let elements = value.arrayValue else {
                found.append(UnmanagedField(path: path, json: value))
                return
            }
            var hashes = 0
            var ranges = 0
            var ordered = true
            for (offset, element) in elements.enumerated() {
                object(element, at: "\(path)[\(offset)]", managed: ["AttributeName", "KeyType"])
                switch element["KeyType"]?.stringValue {
                case "HASH":
                    hashes += 1
                    if ranges > 0 { ordered = false }
                case "RANGE": ranges += 1
                default: self.value(element["KeyType"], at: "\(path)[\(offset)].KeyType", known: [])
                }
            }
            if hashes > maxHash || ranges > maxRange || !ordered {
                found.append(UnmanagedField(path: path, json: value))
            }
        }

        /// A ``TableSetting`` where DescribeTable reports it: the object holding it (with its history
        /// members), and a keyword the setting does not know.
        mutating func setting(_ setting: TableSetting, in table: JSONValue) {
            guard let first = setting.describedPath.first else { return }
            var path = "Table"
            var reported: JSONValue? = table
            for (depth, member) in setting.describedPath.enumerated() {
                if depth > 0 {
                    object(
                        reported, at: path, managed: [member],
                        harmless: depth == 1 ? setting.describedHistory : [])
                }
                path += "." + member
                reported = reported?[member]
            }
            if case .keyword(let known) = setting.kind {
                value(reported, at: path, known: Set(known))
            } else if let reported, reported.boolValue == nil, !reported.isNull, setting.kind == .boolean {
                found.append(UnmanagedField(path: "Table." + first, json: reported))
            }
        }

        /// Replicas and witnesses of a version 2019.11.21 global table; any other version (the legacy
        /// 2017.11.29 ones are managed with other operations) or consistency is unmanaged.
        mutating func globalTable(_ table: JSONValue) {
            value(table["GlobalTableVersion"], at: "Table.GlobalTableVersion", known: ["2019.11.21"])
            value(
                table["MultiRegionConsistency"], at: "Table.MultiRegionConsistency",
                known: Set(MultiRegionConsistency.allKnown.map(\.rawValue)))
            // "ENABLED_WITH_OVERRIDES: This mode is set by default for a same account global table"; ENABLED
            // and DISABLED are a multi-account global table's (``SettingsReplicationMode``).
            let settingsMode = ["ENABLED_WITH_OVERRIDES"] + SettingsReplicationMode.allKnown.map(\.rawValue)
            value(
                table["GlobalTableSettingsReplicationMode"], at: "Table.GlobalTableSettingsReplicationMode",
                known: Set(settingsMode))
            for (offset, replica) in (table["Replicas"]?.arrayValue ?? []).enumerated() {
                let path = "Table.Replicas[\(replica["RegionName"]?.stringValue ?? String(offset))]"
                object(
                    replica, at: path, managed: LiveReplica.managedMembers,
                    harmless: LiveReplica.harmlessMembers)
                value(
                    replica["GlobalTableSettingsReplicationMode"],
                    at: path + ".GlobalTableSettingsReplicationMode",
                    known: Set(settingsMode))
                object(
                    replica["ReplicaTableClassSummary"], at: path + ".ReplicaTableClassSummary",
                    managed: ["TableClass"], harmless: ["LastUpdateDateTime"])
                object(
                    replica["ProvisionedThroughputOverride"], at: path + ".ProvisionedThroughputOverride",
                    managed: ["ReadCapacityUnits"])
                object(
                    replica["OnDemandThroughputOverride"], at: path + ".OnDemandThroughputOverride",
                    managed: ["MaxReadRequestUnits"])
                for (indexOffset, index) in (replica["GlobalSecondaryIndexes"]?.arrayValue ?? []).enumerated()
                {
                    let indexPath =
                        path
                        + ".GlobalSecondaryIndexes[\(DescribeTableShape.name(of: index, offset: indexOffset))]"
                    object(
                        index, at: indexPath,
                        managed: [
                            "IndexName", "ProvisionedThroughputOverride", "OnDemandThroughputOverride",
                        ],
                        harmless: ["WarmThroughput"])
                }
            }
            for (offset, witness) in (table["GlobalTableWitnesses"]?.arrayValue ?? []).enumerated() {
                object(
                    witness, at: "Table.GlobalTableWitnesses[\(offset)]", managed: ["RegionName"],
                    harmless: ["WitnessStatus"])
            }
        }

        /// Null, `[]` and `{}` hold nothing to manage.
        static func saysNothing(_ value: JSONValue) -> Bool {
            value.isNull || value.arrayValue?.isEmpty == true || value.objectValue?.isEmpty == true
        }
    }
}

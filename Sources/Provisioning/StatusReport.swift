import JSON
import Schema

/// The live state of tables for people and for machines: what `sentinel-tables status` prints and
/// `sentinel.status` returns.
public enum StatusReport {
    public static func json(name: String, _ live: LiveTable?) -> JSONValue {
        guard let live else { return ["table": .string(name), "exists": false, "status": "NOT_FOUND"] }
        var object: JSONObject = [
            "table": .string(live.name), "exists": true, "status": .string(live.status),
            "arn": .string(live.arn),
            "partition_key": key(live.partitionKey),
        ]
        object["sort_key"] = live.sortKey.map(key)
        object["gsis"] = .array(
            live.globalSecondaryIndexes.map { index in
                var entry: JSONObject = [
                    "name": .string(index.name), "status": .string(index.status),
                    "backfilling": .bool(index.isBackfilling),
                    "partition_key": keys(index.index.partitionKeys) ?? .array([]),
                ]
                entry["sort_key"] = keys(index.index.sortKeys)
                entry["projection"] = .string(index.index.projection.type.rawValue)
                addThroughput(index.index.throughput, to: &entry)
                return .object(entry)
            })
        object["lsis"] = .array(
            live.localSecondaryIndexes.map { ["name": .string($0.name), "sort_key": key($0.sortKey)] })
        object["billing_mode"] = .string(live.billingMode.rawValue)
        object["read_capacity"] = live.readCapacity.map { JSONValue($0) }
        object["write_capacity"] = live.writeCapacity.map { JSONValue($0) }
        addThroughput(live.throughput, to: &object)
        var ttl: JSONObject = ["status": .string(live.timeToLive.status)]
        ttl["attribute"] = live.timeToLive.attribute.map(JSONValue.string)
        object["ttl"] = .object(ttl)
        var encryption: JSONObject = ["type": .string(live.encryption.type.rawValue)]
        encryption["kms_key_arn"] = live.encryption.keyARN.map(JSONValue.string)
        object["encryption"] = .object(encryption)
        object["stream"] = live.stream.map { .string($0.rawValue) }
        let tagKeys = live.tags.keys.sorted()
        object["tags"] = .object(JSONObject(tagKeys.map { ($0, JSONValue.string(live.tags[$0] ?? "")) }))
        if !live.unmanaged.isEmpty {
            object["not_managed"] = .array(
                live.unmanaged.map { ["path": .string($0.path), "value": .string($0.value)] })
        }
        var operated: TableSchema.OperatedMembers = [:]
        for setting in OperatedSetting.all {
            guard let state = live.operatedSettings[setting.field] else { continue }
            operated[setting.field] = setting.statusJSON(state)
        }
        object = TableSchema.placingSettings(object, live.settings, operated: operated)
        if !live.replicas.isEmpty || !live.witnesses.isEmpty {
            object["replicas"] = .array(
                live.replicas.map { replica in
                    var entry = replicaDocument(replica.replica)
                    entry["status"] = .string(replica.status)
                    if let regional = replica.regional {
                        entry["deletion_protection"] = .bool(regional.deletionProtection)
                        entry["point_in_time_recovery"] = .bool(regional.pointInTimeRecovery)
                        let keys = regional.tags.keys.sorted()
                        entry["tags"] = .object(
                            JSONObject(keys.map { ($0, JSONValue.string(regional.tags[$0] ?? "")) }))
                    }
                    return .object(entry)
                })
            object["multi_region_consistency"] = .string(live.multiRegionConsistency.rawValue)
            // A multi-account global table's (`settings_replication`, as a schema gives it).
            object["settings_replication"] = live.settingsReplication.map { .string($0.rawValue) }
            object["witness"] = live.witnesses.first.map {
                ["region": .string($0.region), "status": .string($0.status)]
            }
        }
        object["item_count"] = live.itemCount.map { JSONValue($0) }
        object["size_bytes"] = live.sizeBytes.map { JSONValue($0) }
        return .object(object)
    }

    public static func text(name: String, _ live: LiveTable?) -> String {
        guard let live else { return "\(name): NOT_FOUND\n" }
        var lines = ["\(live.name): \(live.status)  \(live.arn)"]
        lines.append(
            "  keys        \(describe(live.partitionKey))\(live.sortKey.map { ", " + describe($0) } ?? "")")
        var billing = live.billingMode.rawValue
        if let read = live.readCapacity, let write = live.writeCapacity {
            billing += " (\(read) read, \(write) write)"
        }
        var ownLines: [String] = []
        for setting in ThroughputSetting.all {
            guard let units = live.throughput[setting.field] else { continue }
            switch setting.placement {
            case .billingNote(let prefix): billing += " (\(prefix) \(setting.describe(units)))"
            case .ownLine(let label):
                ownLines.append(
                    "  " + label.padding(toLength: 12, withPad: " ", startingAt: 0) + setting.describe(units)
                        + " units per second")
            }
        }
        lines.append("  billing     \(billing)")
        lines += ownLines
        for index in live.globalSecondaryIndexes {
            let keys = index.index.describeKeys(describe)
            let state = index.isBackfilling ? "\(index.status), backfilling" : index.status
            lines.append(
                "  gsi         \(index.name) [\(state)] \(keys); \(index.index.projection.type.rawValue)"
                    + indexNotes(index.index.throughput)
            )
        }
        for index in live.localSecondaryIndexes {
            lines.append("  lsi         \(index.name) \(describe(index.sortKey))")
        }
        let ttl = live.timeToLive.attribute.map { " on \($0)" } ?? ""
        lines.append("  ttl         \(live.timeToLive.status)\(ttl)")
        lines.append(
            "  encryption  \(live.encryption.type.rawValue)\(live.encryption.keyARN.map { " \($0)" } ?? "")")
        lines += settingLines(after: "encryption", live)
        lines.append("  stream      \(live.stream?.rawValue ?? "off")")
        lines += settingLines(after: "stream", live)
        if !live.tags.isEmpty {
            lines.append(
                "  tags        "
                    + live.tags.keys.sorted().map { "\($0)=\(live.tags[$0] ?? "")" }.joined(separator: ", "))
        }
        lines += settingLines(after: "tags", live)
        for replica in live.replicas {
            var described = replica.replica
            // DynamoDB reports every replica's class; one the table has too is no override.
            if described.tableClass == live.tableClass { described.tableClass = nil }
            if let regional = replica.regional {
                described.deletionProtection = regional.deletionProtection
                described.pointInTimeRecovery = regional.pointInTimeRecovery
                described.tags = .given(regional.tags)
            }
            let overrides = described.overrideSummary
            lines.append(
                "  replica     \(replica.region) [\(replica.status)]"
                    + (overrides.isEmpty ? "" : " \(overrides)")
                    + (replica.statusDescription.map { ": \($0)" } ?? ""))
        }
        for witness in live.witnesses {
            lines.append("  witness     \(witness.region) [\(witness.status)]")
        }
        if !live.replicas.isEmpty || !live.witnesses.isEmpty {
            lines.append("  consistency \(live.multiRegionConsistency.rawValue)")
            if let mode = live.settingsReplication {
                lines.append("  settings    replicated (\(mode.rawValue))")
            }
        }
        if let items = live.itemCount {
            lines.append("  items       \(items) (\(live.sizeBytes ?? 0) bytes)")
        }
        for field in live.unmanaged {
            lines.append("  not managed: \(field)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `status` lines of the ``TableSetting``s, then the ``OperatedSetting``s, listed after `field`,
    /// labels in a column of 12 as the others'.
    private static func settingLines(after field: String, _ live: LiveTable) -> [String] {
        TableSetting.listed(after: field).map { setting in
            let label =
                setting.statusLabel + String(repeating: " ", count: max(1, 12 - setting.statusLabel.count))
            return "  \(label)\(setting.statusText(setting.value(in: live.settings)))"
        }
            + OperatedSetting.listed(after: field).compactMap { setting in
                live.operatedSettings[setting.field].flatMap(setting.statusLine)
            }
    }

    /// A replica's settings with the schema's field names.
    private static func replicaDocument(_ replica: Replica) -> JSONObject {
        var entry: JSONObject = ["region": .string(replica.region)]
        entry["account"] = replica.account.map(JSONValue.string)
        entry["kms_key"] = replica.kmsKey.map(JSONValue.string)
        entry["table_class"] = replica.tableClass.map { .string($0.rawValue) }
        entry["read_capacity"] = replica.readCapacity.map { JSONValue($0) }
        entry["on_demand_throughput"] = replica.maxRead.map { ["max_read": JSONValue($0)] }
        return entry
    }

    /// Each ``ThroughputSetting`` of the table or index, as the schema document writes it.
    private static func addThroughput(_ throughput: [String: ThroughputUnits], to object: inout JSONObject) {
        for setting in ThroughputSetting.all {
            object[setting.field] = throughput[setting.field].map(setting.document)
        }
    }

    /// An index's ``ThroughputSetting``s after its projection: `; at most 100 read; warm 20000 read`.
    static func indexNotes(_ throughput: [String: ThroughputUnits]) -> String {
        ThroughputSetting.all.compactMap { setting in
            throughput[setting.field].map { units in
                switch setting.placement {
                case .billingNote(let prefix): "; \(prefix) \(setting.describe(units))"
                case .ownLine(let label): "; \(label) \(setting.describe(units))"
                }
            }
        }.joined()
    }

    private static func key(_ key: KeyAttribute) -> JSONValue {
        ["name": .string(key.name), "type": .string(key.type.rawValue)]
    }

    /// A GSI key: one element as a single key object, several as a list in order; nil for none.
    private static func keys(_ keys: [KeyAttribute]) -> JSONValue? {
        switch keys.count {
        case 0: return nil
        case 1: return key(keys[0])
        default: return .array(keys.map(key))
        }
    }

    private static func describe(_ key: KeyAttribute) -> String {
        "\(key.name) (\(key.type.rawValue))"
    }
}

import Schema

/// Every setting of a table about to be created, one `label  value` line each, for the plan's
/// `create table` step. A reviewer approving a new table should see everything it will have (keys,
/// indexes, billing, backups, encryption, protection, stream, class, TTL, tags), not a count of indexes:
/// what is left out of a plan is what slips through review.
enum CreationDetails {
    /// The lines, labels padded so the values line up.
    static func lines(_ schema: TableSchema) -> [String] {
        let rows = rows(schema)
        let width = rows.map(\.label.count).max() ?? 0
        return rows.map { row in
            row.label + String(repeating: " ", count: width - row.label.count + 2) + row.value
        }
    }

    private static func rows(_ schema: TableSchema) -> [(label: String, value: String)] {
        var rows: [(label: String, value: String)] = [("partition key", key(schema.partitionKey))]
        rows.append(("sort key", schema.sortKey.map(key) ?? "none"))
        for index in schema.globalSecondaryIndexes {
            var value = index.describeKeys(key) + "; " + projection(index.projection)
            if schema.billingMode == .provisioned {
                value += "; " + capacity(read: index.readCapacity, write: index.writeCapacity)
            }
            value += StatusReport.indexNotes(index.throughput)
            rows.append(("index \(index.name)", value))
        }
        for index in schema.localSecondaryIndexes {
            rows.append(
                (
                    "local index \(index.name)",
                    keys(schema.partitionKey, index.sortKey) + "; "
                        + projection(index.projection)
                ))
        }
        if schema.globalSecondaryIndexes.isEmpty && schema.localSecondaryIndexes.isEmpty {
            rows.append(("indexes", "none"))
        }
        var billing = schema.billingMode.rawValue
        if schema.billingMode == .provisioned {
            billing += ", " + capacity(read: schema.readCapacity, write: schema.writeCapacity)
        }
        var ownRows: [(label: String, value: String)] = []
        for setting in ThroughputSetting.all {
            guard let units = schema.throughput[setting.field] else { continue }
            switch setting.placement {
            case .billingNote(let prefix): billing += ", \(prefix) " + setting.describe(units)
            case .ownLine: ownRows.append((setting.title, setting.describe(units) + " units per second"))
            }
        }
        rows.append(("billing", billing))
        rows += ownRows
        rows.append(("encryption", encryption(schema.encryption)))
        rows += settingRows(after: "encryption", schema)
        rows.append(("stream", schema.stream?.rawValue ?? "off"))
        rows += settingRows(after: "stream", schema)
        rows.append(("TTL", schema.ttlAttribute.map { "on \($0)" } ?? "off"))
        if schema.tags.isEmpty {
            rows.append(("tags", "none"))
        } else {
            for name in schema.tags.keys.sorted() { rows.append(("tag \(name)", schema.tags[name] ?? "")) }
        }
        rows += settingRows(after: "tags", schema)
        return rows
    }

    /// The rows of the ``TableSetting``s, then the ``OperatedSetting``s, listed after `field`.
    private static func settingRows(after field: String, _ schema: TableSchema) -> [(
        label: String, value: String
    )] {
        TableSetting.listed(after: field).map { ($0.title, $0.describe($0.value(in: schema.settings))) }
            + OperatedSetting.listed(after: field).compactMap { setting in
                setting.value(in: schema).flatMap(setting.creationRow).map { (setting.title, $0) }
            }
    }

    private static func key(_ key: KeyAttribute) -> String {
        "\(key.name) (\(key.type.rawValue))"
    }

    private static func keys(_ partition: KeyAttribute, _ sort: KeyAttribute?) -> String {
        ([partition] + (sort.map { [$0] } ?? [])).map(key).joined(separator: ", ")
    }

    private static func projection(_ projection: Projection) -> String {
        guard projection.type == .include else { return "projection \(projection.type.rawValue)" }
        return "projection INCLUDE (\(projection.nonKeyAttributes.joined(separator: ", ")))"
    }

    private static func capacity(read: Int?, write: Int?) -> String {
        "capacity \(read ?? 0) read / \(write ?? 0) write"
    }

    private static func encryption(_ encryption: Encryption) -> String {
        switch encryption.type {
        case .default: "DEFAULT (key owned by AWS)"
        case .kms: "KMS (AWS-managed key alias/aws/dynamodb)"
        case .customerKey: "CUSTOMER_KEY \(encryption.kmsKey ?? "")"
        default: encryption.type.rawValue
        }
    }
}

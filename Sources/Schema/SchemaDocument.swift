import JSON

extension TableSchema {
    /// The whole schema as JSON with the Lua field names, TTL and point-in-time recovery included: what
    /// `sentinel-tables schema --format json` prints.
    ///
    /// Deterministic: members in the order of the Lua API (`name`, `partition_key`, `sort_key`, `gsis`,
    /// `lsis`, `billing_mode`, `read_capacity`, `write_capacity`, `on_demand_throughput`, `warm_throughput`, `ttl`, `encryption`
    /// (each ``TableSetting`` after the field its ``TableSetting/listedAfter`` names),
    /// `deletion_protection`, `point_in_time_recovery`, `stream`, `table_class`, `tags`, `resource_policy`, and for a global table `replicas`, `multi_region_consistency`, `witness`, then `settings_replication` when given), tags sorted by
    /// key; `point_in_time_recovery` is `{ enabled, recovery_period_days }` when a recovery period is given,
    /// otherwise a boolean. Absent optional values (`sort_key`, capacities, `ttl`, `stream`, `kms_key`, a `resource_policy` the schema leaves alone) are left out
    /// rather than written as `null`, as a Lua table would leave them out; `non_key_attributes` appears
    /// when the index has some.
    public func schemaDocument() -> JSONValue {
        var document: JSONObject = ["name": .string(name), "partition_key": Self.document(partitionKey)]
        document["sort_key"] = sortKey.map(Self.document)
        document["gsis"] = .array(globalSecondaryIndexes.map(Self.document))
        document["lsis"] = .array(localSecondaryIndexes.map(Self.document))
        document["billing_mode"] = .string(billingMode.rawValue)
        document["read_capacity"] = readCapacity.map { JSONValue($0) }
        document["write_capacity"] = writeCapacity.map { JSONValue($0) }
        Self.addThroughputDocuments(throughput, to: &document)
        document["ttl"] = ttlAttribute.map(JSONValue.string)
        var encryptionDocument: JSONObject = ["type": .string(encryption.type.rawValue)]
        encryptionDocument["kms_key"] = encryption.givenKey.map(JSONValue.string)
        document["encryption"] = .object(encryptionDocument)
        document["stream"] = stream.map { .string($0.rawValue) }
        let keys = tags.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        document["tags"] = .object(JSONObject(keys.map { ($0, JSONValue.string(tags[$0] ?? "")) }))
        document = Self.placingSettings(document, settings, operated: operatedDocuments)
        // Only a global table has these, so a table in one region keeps the document it always had.
        if isGlobal {
            document["replicas"] = .array(replicas.map(Self.document))
            document["multi_region_consistency"] = .string(multiRegionConsistency.rawValue)
            document["witness"] = witnessRegion.map { ["region": .string($0)] }
        }
        document["settings_replication"] = settingsReplication.map { .string($0.rawValue) }
        return .object(document)
    }

    /// The Lua fields of a table schema other than the ``TableSetting``s, in the Lua API's order.
    public static let fieldOrder =
        [
            "name", "partition_key", "sort_key", "gsis", "lsis", "billing_mode", "read_capacity",
            "write_capacity",
        ] + ThroughputSetting.all.map(\.field) + [
            "ttl", "encryption", "stream", "tags", "replicas", "multi_region_consistency", "witness",
            "settings_replication",
        ]

    /// The members each ``OperatedSetting`` adds to a document, by its field, in order.
    public typealias OperatedMembers = [String: [(key: String, value: JSONValue)]]
    private typealias PlacedSetting = (listedAfter: String, members: [(key: String, value: JSONValue)])

    /// Each ``OperatedSetting``'s document form, for those the schema gives (or has by default).
    var operatedDocuments: OperatedMembers {
        var documents: OperatedMembers = [:]
        for setting in OperatedSetting.all {
            if let value = setting.value(in: self).flatMap(setting.document) {
                documents[setting.field] = [(setting.field, value)]
            }
        }
        return documents
    }

    /// `document` with each ``TableSetting``, then each ``OperatedSetting`` member of `operated`
    /// (its document form, or a report's members by key), placed after the field it is listed after,
    /// or where that field would be when the document leaves it out (a table without a stream);
    /// members that are not schema fields (a status report's `table`, `exists`) keep their places.
    public static func placingSettings(
        _ document: JSONObject, _ settings: TableSettings, operated: OperatedMembers = [:]
    ) -> JSONObject {
        var placed = JSONObject()
        var pending: [PlacedSetting] =
            TableSetting.all.map { ($0.listedAfter, [($0.field, $0.value(in: settings))]) }
        pending += OperatedSetting.all.map { ($0.listedAfter, operated[$0.field] ?? []) }
        func rank(_ field: String) -> Int? { fieldOrder.firstIndex(of: field) }
        func emit(_ chosen: (PlacedSetting) -> Bool) {
            for setting in pending where chosen(setting) {
                for (key, value) in setting.members { placed[key] = value }
            }
            pending.removeAll(where: chosen)
        }
        for (field, value) in document {
            if let fieldRank = rank(field) {
                emit { (rank($0.listedAfter) ?? Int.max) < fieldRank && $0.listedAfter != field }
            }
            placed[field] = value
            emit { $0.listedAfter == field }
        }
        emit { _ in true }
        return placed
    }

    private static func document(_ replica: Replica) -> JSONValue {
        var document: JSONObject = ["region": .string(replica.region)]
        document["account"] = replica.account.map(JSONValue.string)
        document["target"] = replica.target.map(JSONValue.string)
        document["kms_key"] = replica.kmsKey.map(JSONValue.string)
        document["table_class"] = replica.tableClass.map { .string($0.rawValue) }
        document["read_capacity"] = replica.readCapacity.map { JSONValue($0) }
        document["on_demand_throughput"] = replica.maxRead.map { ["max_read": JSONValue($0)] }
        if !replica.indexes.isEmpty {
            document["gsis"] = .object(
                JSONObject(
                    replica.indexes.map { index in
                        var override = JSONObject()
                        override["read_capacity"] = index.readCapacity.map { JSONValue($0) }
                        override["on_demand_throughput"] = index.maxRead.map { ["max_read": JSONValue($0)] }
                        return (index.name, .object(override))
                    }))
        }
        document["deletion_protection"] = replica.deletionProtection.map(JSONValue.bool)
        document["point_in_time_recovery"] = replica.pointInTimeRecovery.map(JSONValue.bool)
        switch replica.tags {
        case .propagate?: document["tags"] = "propagate"
        case .given(let tags)?:
            let keys = tags.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            document["tags"] = .object(JSONObject(keys.map { ($0, JSONValue.string(tags[$0] ?? "")) }))
        case nil: break
        }
        return .object(document)
    }

    /// Each ``ThroughputSetting`` the table or index gives, in ``ThroughputSetting/all``'s order.
    private static func addThroughputDocuments(
        _ throughput: [String: ThroughputUnits], to document: inout JSONObject
    ) {
        for setting in ThroughputSetting.all {
            document[setting.field] = throughput[setting.field].map(setting.document)
        }
    }

    private static func document(_ key: KeyAttribute) -> JSONValue {
        ["name": .string(key.name), "type": .string(key.type.rawValue)]
    }

    /// A GSI key as a script writes it: one element as the classic single key, several as a list in
    /// their order (a multi-attribute key); nil for no sort key.
    private static func document(_ keys: [KeyAttribute]) -> JSONValue? {
        switch keys.count {
        case 0: return nil
        case 1: return Self.document(keys[0])
        default: return .array(keys.map(Self.document))
        }
    }

    private static func document(_ index: GlobalSecondaryIndex) -> JSONValue {
        var document: JSONObject = [
            "name": .string(index.name),
            // An index read with no HASH element still names the field, so the gap shows.
            "partition_key": Self.document(index.partitionKeys) ?? .array([]),
        ]
        document["sort_key"] = Self.document(index.sortKeys)
        addProjection(index.projection, to: &document)
        document["read_capacity"] = index.readCapacity.map { JSONValue($0) }
        document["write_capacity"] = index.writeCapacity.map { JSONValue($0) }
        addThroughputDocuments(index.throughput, to: &document)
        return .object(document)
    }

    private static func document(_ index: LocalSecondaryIndex) -> JSONValue {
        var document: JSONObject = ["name": .string(index.name), "sort_key": Self.document(index.sortKey)]
        addProjection(index.projection, to: &document)
        return .object(document)
    }

    private static func addProjection(_ projection: Projection, to document: inout JSONObject) {
        document["projection"] = .string(projection.type.rawValue)
        if !projection.nonKeyAttributes.isEmpty {
            document["non_key_attributes"] = .array(projection.nonKeyAttributes.map(JSONValue.string))
        }
    }
}

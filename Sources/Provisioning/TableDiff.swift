import JSON
import Schema

/// Compares a schema with the live table and lists the steps that make the table match, in a safe
/// order (Terraform's, extended). The whole order, in one place:
///
/// | # | steps | why there |
/// |---|---|---|
/// | 1 | delete replicas, one per UpdateTable (``ReplicaChanges``) | later changes are not replicated to a region about to go |
/// | 2 | delete indexes, one per UpdateTable | frees the index slots and attributes the new ones may need |
/// | 3 | each ``TableSetting`` with `.ownUpdate` (table class), alone | DynamoDB refuses it with other changes |
/// | 4 | one UpdateTable: billing, capacity, on-demand limits, warm throughput, the `.sharedUpdate` settings (deletion protection), stream | the stream a replica needs exists before it |
/// | 5 | create indexes, one per UpdateTable | on the settled billing mode |
/// | 6 | SSE | a replica's customer key needs the table's |
/// | 7 | create and update replicas, one per UpdateTable | copies the table as steps 2-6 left it |
/// | 8 | TTL, the ``OperatedSetting``s placed `.withOwnOperations` (point-in-time recovery), tags | their own operations |
/// | 9 | the ``OperatedSetting``s placed `.last` (the resource policy) | a policy that restricts the caller cannot block steps 1-8 |
/// | 10 | create replicas in other accounts; then (added by `Provisioner`, which reads their accounts) restore a live one's own replication statement | the source's policy grants them first |
///
/// Key schema and LSI changes, lowering warm throughput and what ``ReplicaChanges/blocked(_:_:)`` lists
/// are blocked, never planned; a table with blocked changes still lists its other steps, which apply does
/// not carry out.
///
/// Pure: the live table comes in as a value, so every rule here is tested without a server.
public enum TableDiff {
    /// The plan for `schema` against `live` (nil: the table does not exist).
    public static func plan(_ given: TableSchema, live: LiveTable?) -> TablePlan {
        guard let live else { return creationPlan(given) }
        let schema = AccountReplicaGrants.withGrants(given, live: live)
        // A blocked table is never touched, but its other differences are still planned, so the
        // reviewer sees everything that differs and not only the first reason it cannot be applied.
        // What the model cannot represent is named and blocks: never "up to date", never changed blind.
        let blocked =
            blockedChanges(schema, live) + ReplicaChanges.blocked(schema, live)
            + AccountReplicaGrants.unreadablePolicy(schema, live)
            + live.unmanaged.map(BlockedChange.unmanaged)
        var steps: [PlanStep] = ReplicaChanges.deletions(schema, live)
        let (deleted, created) = indexChanges(schema, live)
        steps += deleted
        let settingChanges = schema.settings.changes(from: live.settings)
        steps += settingChanges.filter { $0.setting?.operation != .sharedUpdate }.map(PlanStep.updateSetting)
        let settings = settingsChange(schema, live, deletedIndexes: deleted)
        if !settings.isEmpty { steps.append(.updateSettings(settings)) }
        steps += created
        if let encryption = encryptionChange(schema.encryption, live.encryption) { steps.append(encryption) }
        steps += ReplicaChanges.creationsAndUpdates(schema, live)
        steps += timeToLiveSteps(wanted: schema.ttlAttribute, live: live.timeToLive.effectiveAttribute)
        steps += operatedSteps(schema, live, .withOwnOperations)
        steps += tagSteps(wanted: schema.tags, live: live.tags)
        steps += operatedSteps(schema, live, .last)
        steps += ReplicaChanges.accountCreations(schema, live)
        return TablePlan(table: schema.name, exists: true, steps: steps, blocked: blocked)
    }

    /// Everything CreateTable accepts in one call but the ``OperatedSetting``s, then TTL and those
    /// (point-in-time recovery, the policy), written once the table is ACTIVE as on an existing table:
    /// against what a new table has (each setting's ``OperatedSetting/noneValue``).
    public static func creationPlan(_ schema: TableSchema) -> TablePlan {
        var steps: [PlanStep] = [.createTable(schema)]
        steps += ReplicaChanges.creationsAndUpdates(schema, nil)
        if let ttl = schema.ttlAttribute { steps.append(.enableTimeToLive(attribute: ttl)) }
        for setting in OperatedSetting.all {
            if let change = setting.change(schema, live: OperatedSettingState(value: setting.noneValue)) {
                steps.append(.updateOperatedSetting(change))
            }
        }
        steps += ReplicaChanges.accountCreations(schema, nil)
        return TablePlan(table: schema.name, exists: false, steps: steps)
    }

    // MARK: Rules

    private static func blockedChanges(_ schema: TableSchema, _ live: LiveTable) -> [BlockedChange] {
        var blocked: [BlockedChange] = []
        if schema.partitionKey != live.partitionKey {
            blocked.append(
                BlockedChange(
                    field: "partition_key", live: describe(live.partitionKey),
                    wanted: describe(schema.partitionKey)))
        }
        if schema.sortKey != live.sortKey {
            blocked.append(
                BlockedChange(
                    field: "sort_key", live: describe(live.sortKey), wanted: describe(schema.sortKey)))
        }
        blocked += throughputDecreases(
            schema.throughput, live.throughput, billing: schema.billingMode, path: "")
        for (offset, index) in schema.globalSecondaryIndexes.enumerated() {
            guard let liveIndex = live.globalSecondaryIndexes.first(where: { $0.name == index.name }),
                sameShape(index, liveIndex.index)
            else { continue }
            blocked += throughputDecreases(
                index.throughput, liveIndex.index.throughput, billing: schema.billingMode,
                path: "gsis[\(offset + 1)].")
        }
        let wantedLSIs = Set(schema.localSecondaryIndexes.map(describe))
        let liveLSIs = Set(live.localSecondaryIndexes.map(describe))
        if wantedLSIs != liveLSIs {
            blocked.append(
                BlockedChange(
                    field: "lsis", live: list(liveLSIs.sorted()), wanted: list(wantedLSIs.sorted())))
        }
        return blocked
    }

    /// Each side of a ``ThroughputSetting`` the schema gives that cannot be made from the live value (a
    /// raise-only side below it: DynamoDB cannot lower warm throughput), at `path` (`gsis[1].`).
    private static func throughputDecreases(
        _ wanted: [String: ThroughputUnits], _ live: [String: ThroughputUnits], billing: BillingMode,
        path: String
    ) -> [BlockedChange] {
        ThroughputSetting.all.filter { $0.applies(with: billing) }.flatMap { setting in
            setting.change(from: live[setting.field], to: wanted[setting.field], index: nil).decreases.map {
                BlockedChange(
                    field: "\(path)\(setting.field).\($0.side)", live: String($0.live),
                    wanted: String($0.wanted),
                    reason: setting.decreaseReason)
            }
        }
    }

    /// The ``ThroughputSetting`` changes that bring the table's and each kept GSI's to the schema's: in
    /// ``ThroughputSetting/all``'s order, the table's first, then the indexes' by name. A setting for
    /// another billing mode is not compared (a provisioned table has no on-demand limits).
    private static func throughputChanges(
        _ schema: TableSchema, _ live: LiveTable, deletedIndexes: [PlanStep]
    ) -> [ThroughputChange] {
        let kept = live.globalSecondaryIndexes.filter { !deleted(deletedIndexes).contains($0.name) }
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var changes: [ThroughputChange] = []
        for setting in ThroughputSetting.all where setting.applies(with: schema.billingMode) {
            let field = setting.field
            if let change = setting.change(
                from: live.throughput[field], to: schema.throughput[field], index: nil
            )
            .change {
                changes.append(change)
            }
            for liveIndex in kept {
                guard let index = schema.globalSecondaryIndexes.first(where: { $0.name == liveIndex.name }),
                    let change = setting.change(
                        from: liveIndex.index.throughput[field], to: index.throughput[field],
                        index: index.name
                    ).change
                else { continue }
                changes.append(change)
            }
        }
        return changes
    }

    private static func indexChanges(_ schema: TableSchema, _ live: LiveTable) -> ([PlanStep], [PlanStep]) {
        var deleted: [PlanStep] = []
        var created: [PlanStep] = []
        let wanted = Dictionary(
            schema.globalSecondaryIndexes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let existing = Dictionary(
            live.globalSecondaryIndexes.map { ($0.name, $0.index) }, uniquingKeysWith: { a, _ in a })
        for index in live.globalSecondaryIndexes where wanted[index.name] == nil {
            deleted.append(.deleteIndex(name: index.name, replacing: false))
        }
        for index in schema.globalSecondaryIndexes {
            guard let current = existing[index.name] else {
                created.append(.createIndex(index, replacing: false))
                continue
            }
            if !sameShape(index, current) {
                deleted.append(.deleteIndex(name: index.name, replacing: true))
                created.append(.createIndex(index, replacing: true))
            }
        }
        return (deleted, created)
    }

    private static func sameShape(_ wanted: GlobalSecondaryIndex, _ live: GlobalSecondaryIndex) -> Bool {
        // Attribute names by their bytes, as DynamoDB compares them; the order of INCLUDE's does not count.
        let wantedAttributes = Set(wanted.projection.nonKeyAttributes.map { ExactString($0) })
        let liveAttributes = Set(live.projection.nonKeyAttributes.map { ExactString($0) })
        // Every key element, its order and its type: a multi-attribute key is one key, not a set.
        return wanted.partitionKeys == live.partitionKeys && wanted.sortKeys == live.sortKeys
            && wanted.projection.type == live.projection.type && wantedAttributes == liveAttributes
    }

    private static func settingsChange(_ schema: TableSchema, _ live: LiveTable, deletedIndexes: [PlanStep])
        -> SettingsChange
    {
        var change = SettingsChange()
        if schema.billingMode != live.billingMode { change.billingMode = schema.billingMode }
        if schema.billingMode == .provisioned {
            let wanted = Capacity(read: schema.readCapacity ?? 0, write: schema.writeCapacity ?? 0)
            if change.billingMode != nil || live.readCapacity != wanted.read
                || live.writeCapacity != wanted.write
            {
                change.capacity = wanted
            }
            // Indexes that stay: those being deleted now or created later carry their own capacity.
            for liveIndex in live.globalSecondaryIndexes
            where !deleted(deletedIndexes).contains(liveIndex.name) {
                guard let index = schema.globalSecondaryIndexes.first(where: { $0.name == liveIndex.name })
                else { continue }
                let capacity = Capacity(read: index.readCapacity ?? 0, write: index.writeCapacity ?? 0)
                if change.billingMode != nil || liveIndex.index.readCapacity != capacity.read
                    || liveIndex.index.writeCapacity != capacity.write
                {
                    change.indexCapacities[index.name] = capacity
                }
            }
        }
        change.throughput = throughputChanges(schema, live, deletedIndexes: deletedIndexes)
        change.settings = schema.settings.changes(from: live.settings).filter {
            $0.setting?.operation == .sharedUpdate
        }
        if schema.stream != live.stream { change.stream = StreamChange(from: live.stream, to: schema.stream) }
        return change
    }

    /// The names of the indexes that `steps` delete.
    private static func deleted(_ steps: [PlanStep]) -> Set<String> {
        Set(
            steps.compactMap { step -> String? in
                if case .deleteIndex(let name, _) = step { return name } else { return nil }
            })
    }

    /// DynamoDB reports KMS encryption by key ARN whether the key is AWS-managed or the customer's, so
    /// only what the report can show is compared: the type, and the key when the schema names it by key
    /// ARN or key id. An alias cannot be resolved without KMS and is taken as matching.
    static func encryptionChange(_ wanted: Encryption, _ live: LiveEncryption) -> PlanStep? {
        switch wanted.type {
        case .default:
            return live.type == .default ? nil : .updateEncryption(from: live.type, to: wanted)
        case .kms:
            return live.type == .kms ? nil : .updateEncryption(from: live.type, to: wanted)
        default:
            guard live.type == .kms, let liveARN = live.keyARN else {
                return .updateEncryption(from: live.type, to: wanted)
            }
            switch wanted.kmsKey.flatMap(KMSKeyReference.init) {
            case .keyARN:
                return wanted.kmsKey == liveARN ? nil : .updateEncryption(from: live.type, to: wanted)
            case .keyID(let id):
                return liveARN.hasSuffix(":key/" + id) ? nil : .updateEncryption(from: live.type, to: wanted)
            default:
                return nil
            }
        }
    }

    /// The ``OperatedSetting``s placed at `placement` whose live value is not what the schema asks
    /// for (a setting the schema leaves alone, or one not read, has none).
    private static func operatedSteps(
        _ schema: TableSchema, _ live: LiveTable, _ placement: OperatedSetting.Placement
    ) -> [PlanStep] {
        OperatedSetting.all.filter { $0.placement == placement }.compactMap { setting in
            guard let state = live.operatedSettings[setting.field] else { return nil }
            return setting.change(schema, live: state).map(PlanStep.updateOperatedSetting)
        }
    }

    private static func timeToLiveSteps(wanted: String?, live: String?) -> [PlanStep] {
        switch (wanted, live) {
        case (nil, nil): return []
        case (let wanted?, nil): return [.enableTimeToLive(attribute: wanted)]
        case (nil, let live?): return [.disableTimeToLive(attribute: live)]
        case (let wanted?, let live?):
            // By bytes, as DynamoDB compares names (``ExactString``).
            return wanted.hasSameBytes(as: live)
                ? []
                : [
                    .disableTimeToLive(attribute: live),
                    .enableTimeToLive(attribute: wanted, replacing: live),
                ]
        }
    }

    /// The schema's tags are authoritative, as in Terraform: changed and new tags are set, tags the
    /// schema does not have are removed (except `aws:` tags, which belong to AWS).
    private static func tagSteps(wanted: [String: String], live: [String: String]) -> [PlanStep] {
        var steps: [PlanStep] = []
        let changed = wanted.filter { live[$0.key] != $0.value }
        if !changed.isEmpty {
            steps.append(.tagResource(changed, previous: live.filter { changed[$0.key] != nil }))
        }
        let removed = live.keys.filter { wanted[$0] == nil && !$0.hasPrefix("aws:") }
        if !removed.isEmpty { steps.append(.untagResource(removed.sorted())) }
        return steps
    }

    // MARK: Descriptions

    private static func describe(_ key: KeyAttribute?) -> String {
        guard let key else { return "none" }
        return "\(key.name) (\(key.type.rawValue))"
    }

    private static func describe(_ index: LocalSecondaryIndex) -> String {
        "\(index.name): \(describe(index.sortKey)), \(index.projection.type.rawValue)"
    }

    private static func list(_ items: [String]) -> String {
        items.isEmpty ? "none" : "[" + items.joined(separator: "; ") + "]"
    }
}

import Schema

extension LiveTable {
    /// The schema that describes this table as it is: what `schema --from-table` prints and
    /// `sentinel.schema.from_table` returns. Its plan against this same table is empty.
    ///
    /// Everything the model knows is carried over. Two things cannot be read back exactly, and are
    /// mapped to what ``TableDiff`` compares equal: TTL in transition counts as the state it is moving
    /// to, and KMS encryption is the AWS-managed key (``Encryption/awsManagedKMS``), because DynamoDB
    /// reports the key ARN alike for the AWS-managed key and a customer key
    /// (``customerKeyCandidate`` holds that ARN for the caller to mention). A ``ThroughputSetting`` is
    /// written back only with the billing mode it applies to, and only when it is ``ThroughputSetting/adopted``:
    /// warm throughput is left unsaid, since DynamoDB raises it by itself with use, and a schema that
    /// wrote today's value would block the table (it cannot go down) once use had raised it.
    public var schema: TableSchema {
        var schema = TableSchema(
            name: name, partitionKey: partitionKey, sortKey: sortKey,
            globalSecondaryIndexes: globalSecondaryIndexes.map { live in
                var index = live.index
                index.throughput = adopted(index.throughput)
                return index
            },
            localSecondaryIndexes: localSecondaryIndexes, billingMode: billingMode,
            readCapacity: billingMode == .provisioned ? readCapacity : nil,
            writeCapacity: billingMode == .provisioned ? writeCapacity : nil,
            ttlAttribute: timeToLive.effectiveAttribute,
            encryption: encryption.type == .default ? .default : .awsManagedKMS,
            stream: stream, tableClass: tableClass,
            // `aws:` tags belong to AWS: a schema may not set them and a plan leaves them alone.
            tags: tags.filter { !$0.key.lowercased().hasPrefix("aws:") })
        schema.settings = settings
        for setting in OperatedSetting.all {
            guard let state = operatedSettings[setting.field] else { continue }
            schema.operatedSettings[setting.field] = setting.adopted(state)
        }
        schema.resourcePolicy = withoutReplicaGrants(schema.resourcePolicy)
        schema.throughput = adopted(throughput)
        // Replicas as DynamoDB reports them; a class equal to the table's is the table's, not an override.
        schema.replicas = replicas.map { live in
            var replica = live.replica
            if replica.tableClass == tableClass { replica.tableClass = nil }
            // DynamoDB reports a key ARN whether the key is AWS-managed or the customer's, so the key is
            // left unsaid, as the table's own is (``customerKeyCandidate``).
            replica.kmsKey = nil
            // What the replica's region reported of its own settings, written out so that the schema
            // keeps them; tags that are the table's are the table's (`"propagate"`).
            if let regional = live.regional {
                replica.deletionProtection = regional.deletionProtection
                replica.pointInTimeRecovery = regional.pointInTimeRecovery
                let own = regional.tags.filter { !$0.key.lowercased().hasPrefix("aws:") }
                replica.tags = own == schema.tags ? .propagate : .given(own)
            }
            return replica
        }
        schema.multiRegionConsistency = multiRegionConsistency
        schema.witnessRegion = witnesses.first?.region
        // A same-account global table's ENABLED_WITH_OVERRIDES is DynamoDB's default, not a schema's.
        if settingsReplication != .enabledWithOverrides { schema.settingsReplication = settingsReplication }
        return schema
    }

    /// The policy a schema writes back, without the statements apply keeps for replicas in other
    /// accounts (``AccountReplicaGrants``), which it adds and removes with those replicas itself, so that
    /// a schema adopted from the table does not hold them as the user's own; left alone when nothing
    /// else is in it.
    private func withoutReplicaGrants(_ adopted: ResourcePolicySetting) -> ResourcePolicySetting {
        guard case .policy(let text) = adopted, replicas.contains(where: { $0.replica.isInAnotherAccount }),
            let withoutGrants = AccountReplicaGrants.withoutGrants(text)
        else { return adopted }
        return withoutGrants.map(ResourcePolicySetting.policy) ?? .unmanaged
    }

    /// The ``ThroughputSetting``s of `throughput` a schema writes back (see ``schema``).
    private func adopted(_ throughput: [String: ThroughputUnits]) -> [String: ThroughputUnits] {
        throughput.filter { field, _ in
            ThroughputSetting.named(field).map { $0.adopted && $0.applies(with: billingMode) } ?? false
        }
    }

    /// The KMS key ARN DynamoDB reports, which may be a customer key that ``schema`` cannot tell apart
    /// from the AWS-managed one.
    public var customerKeyCandidate: String? {
        encryption.type == .default ? nil : encryption.keyARN
    }
}

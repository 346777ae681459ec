extension SchemaValidator {
    /// Replicas, the consistency mode and the witness, by DynamoDB's documented rules (each quoted):
    /// what can be checked without knowing the table's own region. ``TableSchema/replicaProblems(ownRegion:)``
    /// checks the rest once the region is known.
    mutating func checkReplicas() {
        let consistency = schema.multiRegionConsistency
        if !consistency.isKnown {
            report(
                "multi_region_consistency",
                "invalid consistency '\(consistency)': must be \(MultiRegionConsistency.knownList)")
        }
        var regions: [String: String] = [:]
        var accounts: [String: String] = [:]
        for (offset, replica) in schema.replicas.enumerated() {
            let path = "replicas[\(offset + 1)]"
            checkRegion(replica.region, at: path + ".region", seen: &regions)
            checkReplicaSettings(replica, at: path)
            checkAccount(replica, at: path, seen: &accounts)
        }
        checkMultiAccount()
        if let witness = schema.witnessRegion {
            checkRegion(witness, at: "witness.region", seen: &regions)
            if consistency != .strong {
                report(
                    "witness",
                    "a witness is only for multi_region_consistency = \"STRONG\", where it stands in for "
                        + "a third replica")
            }
        }
        if consistency == .strong { checkStrongConsistency() }
        if consistency == .eventual, !schema.replicas.isEmpty,
            schema.stream != StreamViewType.newAndOldImages
        {
            // "Global tables configured for multi-Region eventual consistency (MREC) replicate changes by
            // reading those changes from a DynamoDB Stream on a replica table [...]. Streams are therefore
            // enabled by default on all replicas in an MREC global table", and cannot be turned off there.
            // Asked for in the schema, so that a schema without it does not plan, forever, to turn off a
            // stream DynamoDB keeps.
            report(
                "stream",
                "a table with replicas (multi_region_consistency EVENTUAL) needs stream = "
                    + "\"NEW_AND_OLD_IMAGES\": DynamoDB replicates from it, got "
                    + (schema.stream.map { "'\($0)'" } ?? "no stream"))
        }
    }

    private mutating func checkRegion(_ region: String, at path: String, seen: inout [String: String]) {
        if region.isEmpty {
            report(path, "region is required")
        } else if !ARNScope.isRegion(region) {
            report(path, "invalid region '\(region)' (expected a name such as us-west-2)")
        } else if let earlier = seen[region] {
            // "Each global table can have only one replica per AWS Region."
            report(
                path, "region \(region) is already at \(earlier): a global table has one replica per region")
        } else {
            seen[region] = path
        }
    }

    /// A replica in another account (`account`, `target`), by the rules of "How DynamoDB global tables
    /// work" for multi-account global tables (each quoted).
    private mutating func checkAccount(_ replica: Replica, at path: String, seen: inout [String: String]) {
        guard let account = replica.account else {
            if let target = replica.target {
                report(
                    path + ".target",
                    "target '\(target)' is only for a replica in another account: give account too, or leave "
                        + "target out for a replica in the table's own account")
            }
            return
        }
        if !Self.isAccountID(account) {
            report(path + ".account", "invalid account '\(account)': must be a 12-digit AWS account id")
        } else if let earlier = seen[account] {
            // "Each replica must reside in a separate AWS account. For a multi-account global table with N
            // replicas, you must have N accounts."
            report(
                path + ".account",
                "account \(account) is already at \(earlier): each replica of a multi-account global table is "
                    + "in an account of its own")
        } else {
            seen[account] = path
        }
        if replica.target?.isEmpty ?? true {
            report(
                path + ".target",
                "target is required with account: the targets-file entry whose credentials act in \(account)")
        }
        // "Multi-account global tables use unified table settings across all replicas by default. [...]
        // unlike same-account global tables, these settings cannot be overridden per replica."
        let overrides: [(String, Bool)] = [
            ("kms_key", replica.kmsKey != nil), ("table_class", replica.tableClass != nil),
            ("read_capacity", replica.readCapacity != nil), ("on_demand_throughput", replica.maxRead != nil),
            ("gsis", !replica.indexes.isEmpty), ("deletion_protection", replica.deletionProtection != nil),
            ("point_in_time_recovery", replica.pointInTimeRecovery != nil), ("tags", replica.tags != nil),
        ]
        for (field, given) in overrides where given {
            report(
                path + "." + field,
                "\(field) is not allowed on a replica in another account: a multi-account global table's "
                    + "settings are the table's, with no per-replica overrides (and the ones each account keeps "
                    + "for itself are set in that account, not by this schema)")
        }
    }

    /// The table-wide rules of a multi-account global table, and `settings_replication`.
    private mutating func checkMultiAccount() {
        let mode = schema.settingsReplication
        if let mode, !mode.isKnown {
            report(
                "settings_replication",
                "invalid settings replication '\(mode)': must be \(SettingsReplicationMode.knownList)")
        }
        guard schema.isMultiAccount else {
            if let mode {
                report(
                    "settings_replication",
                    "settings_replication '\(mode)' is only for a multi-account global table (a replica with "
                        + "account)")
            }
            return
        }
        if mode == .disabled {
            // CreateTable's GlobalTableSettingsReplicationMode: "For multi-account global tables, this
            // parameter is required and the only supported value is ENABLED."
            report(
                "settings_replication",
                "a multi-account global table replicates its settings: settings_replication must be "
                    + "\"ENABLED\" (or left out), not \"DISABLED\"")
        }
        if schema.multiRegionConsistency == .strong {
            // "Global tables configured for Multi-Region strong consistency (MRSC) do not support the
            // multi-account model."
            report(
                "multi_region_consistency",
                "a multi-account global table (a replica with account) is EVENTUAL only: DynamoDB's strongly "
                    + "consistent tables do not support the multi-account model")
        }
        if schema.replicas.contains(where: { !$0.isInAnotherAccount }) {
            // "You can only add replicas by starting with a single-Region table. Converting an existing
            // same-account global table into a multi-account setup is not supported."
            report(
                "replicas",
                "a global table's replicas are all in other accounts or all in the table's own: DynamoDB "
                    + "cannot make a same-account global table multi-account")
        }
        if case .noPolicy = schema.resourcePolicy {
            // "Customers must provide replication permissions to the DynamoDB global tables service principal
            // in their resource policies."
            report(
                "resource_policy",
                "a multi-account global table needs a resource policy (apply adds the replication statements): "
                    + "not false")
        }
        if schema.encryption.type == .customerKey {
            report(
                "encryption",
                "a multi-account global table with a customer KMS key is not managed by this tool yet: each "
                    + "account's replica needs a key of its own account")
        }
    }

    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private mutating func checkReplicaSettings(_ replica: Replica, at path: String) {
        let encryption = schema.encryption
        switch (encryption.type, replica.kmsKey) {
        case (.customerKey, nil) where replica.account == nil:
            report(
                path + ".kms_key",
                "kms_key is required: the table is encrypted with a customer key, and a KMS key lives "
                    + "in one region (name the key in \(replica.region.isEmpty ? "the replica's region" : replica.region))"
            )
        case (.customerKey, let key?):
            guard let reference = KMSKeyReference(key) else {
                report(
                    path + ".kms_key",
                    "invalid KMS key '\(key)': expected a key ARN, an alias ARN, an alias name or a key id")
                break
            }
            switch reference {
            case .keyARN(_, let region, _, _), .aliasARN(_, let region, _, _):
                if !replica.region.isEmpty, region != replica.region {
                    report(
                        path + ".kms_key",
                        "KMS key '\(key)' is in \(region), not in the replica's region \(replica.region)")
                }
            default:
                break
            }
        case (_, let key?):
            report(
                path + ".kms_key",
                "kms_key '\(key)' is only allowed when the table's encryption type is CUSTOMER_KEY, not "
                    + "\(encryption.type)")
        default:
            break
        }
        if let tableClass = replica.tableClass, !tableClass.isKnown {
            report(
                path + ".table_class",
                "invalid table class '\(tableClass)': must be \(TableClass.knownList)")
        }
        checkReadOverride(readCapacity: replica.readCapacity, maxRead: replica.maxRead, at: path)
        if case .given(let tags)? = replica.tags { checkTags(tags, at: path + ".tags") }
        var names: Set<String> = []
        for index in replica.indexes {
            let indexPath = path + ".gsis" + Self.keyPath(index.name)
            if !schema.globalSecondaryIndexes.contains(where: { $0.name == index.name }) {
                report(indexPath, "the table has no GSI named '\(index.name)'")
            }
            if !names.insert(index.name).inserted { report(indexPath, "given twice") }
            checkReadOverride(readCapacity: index.readCapacity, maxRead: index.maxRead, at: indexPath)
        }
    }

    /// A replica's read side: capacity with `PROVISIONED`, an on-demand limit with `PAY_PER_REQUEST`.
    private mutating func checkReadOverride(readCapacity: Int?, maxRead: Int?, at path: String) {
        if let units = readCapacity {
            if schema.billingMode == .payPerRequest {
                report(
                    path + ".read_capacity", "read_capacity is not allowed with billing mode PAY_PER_REQUEST")
            } else if units < 1 {
                report(path + ".read_capacity", "capacity must be at least 1, got \(units)")
            }
        }
        if let units = maxRead {
            if schema.billingMode == .provisioned {
                report(
                    path + ".on_demand_throughput",
                    "on-demand throughput is only allowed with billing mode PAY_PER_REQUEST")
            } else if units < 1 {
                report(path + ".on_demand_throughput.max_read", "must be at least 1, got \(units)")
            }
        }
    }

    /// MRSC: "exactly three replicas, or two replicas and a witness", all in one region set. The
    /// table's own region is the third (or second) replica, so the schema lists two replicas, or one
    /// and a witness.
    private mutating func checkStrongConsistency() {
        // "Time to Live (TTL) is not supported for MRSC global tables."
        if schema.ttlAttribute != nil {
            report(
                "ttl",
                "TTL is not supported on a strongly consistent global table (multi_region_consistency STRONG)"
            )
        }
        // "Local secondary indexes (LSIs) are not supported for MRSC global tables."
        if !schema.localSecondaryIndexes.isEmpty {
            report("lsis", "local secondary indexes are not supported on a strongly consistent global table")
        }
        let count = schema.replicas.count
        let expected = schema.witnessRegion == nil ? 2 : 1
        if count != expected {
            let shape =
                schema.witnessRegion == nil
                ? "two replicas (three regions with the table's own), or one replica and a witness"
                : "one replica besides the witness (the table's own region is the other)"
            report(
                "replicas",
                "multi_region_consistency STRONG needs \(shape); got \(count) replica\(count == 1 ? "" : "s")"
            )
        }
        let regions = schema.replicas.map(\.region) + (schema.witnessRegion.map { [$0] } ?? [])
        if !regions.isEmpty, regions.allSatisfy(ARNScope.isRegion),
            MultiRegionConsistency.regionSet(holding: regions) == nil
        {
            report(
                "replicas",
                "a strongly consistent table's regions must all be in one region set ("
                    + MultiRegionConsistency.strongConsistencyRegionSets.map { $0.joined(separator: ", ") }
                    .joined(separator: "; ") + "); got " + regions.joined(separator: ", "))
        }
    }

    /// `["gsi-status"]`: a replica's `gsis` is keyed by index name.
    static func keyPath(_ name: String) -> String {
        "[\(luaQuoted(name))]"
    }
}

extension TableSchema {
    /// The replica rules that need the region the table itself is in: it is not listed as a replica
    /// or witness (the schema is the table there), and a strongly consistent table's region set holds
    /// it too.
    public func replicaProblems(ownRegion: String) -> [SchemaProblem] {
        var problems: [SchemaProblem] = []
        for (offset, replica) in replicas.enumerated() where replica.region == ownRegion {
            problems.append(
                SchemaProblem(
                    path: "replicas[\(offset + 1)].region",
                    message:
                        "\(ownRegion) is the table's own region (the region this run uses): list only the other regions"
                ))
        }
        // Replication stays inside a partition: a table in `aws` has no replica in `aws-cn` or
        // `aws-us-gov`, whose accounts and endpoints are another AWS's.
        let partition = ARNScope.partition(forRegion: ownRegion)
        for (offset, replica) in replicas.enumerated()
        where !replica.region.isEmpty && ARNScope.partition(forRegion: replica.region) != partition {
            problems.append(
                SchemaProblem(
                    path: "replicas[\(offset + 1)].region",
                    message:
                        "\(replica.region) is in the \(ARNScope.partition(forRegion: replica.region)) partition and "
                        + "the table's own region (\(ownRegion)) in \(partition): replicas stay in one partition"
                ))
        }
        if witnessRegion == ownRegion {
            problems.append(
                SchemaProblem(
                    path: "witness.region",
                    message: "\(ownRegion) is the table's own region: a witness is in another region"))
        }
        if multiRegionConsistency == .strong {
            let regions = [ownRegion] + replicas.map(\.region) + (witnessRegion.map { [$0] } ?? [])
            if MultiRegionConsistency.regionSet(holding: regions) == nil {
                problems.append(
                    SchemaProblem(
                        path: "replicas",
                        message:
                            "a strongly consistent table's regions, its own (\(ownRegion)) included, must all be in one region set: "
                            + MultiRegionConsistency.strongConsistencyRegionSets.map {
                                $0.joined(separator: ", ")
                            }.joined(separator: "; ")))
            }
        }
        return problems
    }
}

import JSON
import Schema

extension Provisioner {
    /// What stops a plan from setting warm throughput above a region's quota, found with DescribeLimits
    /// before the first call. DynamoDB pre-warms a table or index only "up to the table or index quota
    /// for your account in that Region", and a global table's warm throughput is the table's in every
    /// region: "the warm throughput settings you set will automatically apply to all replica tables in
    /// the global table" ("Understanding DynamoDB warm throughput"). So each region the plan makes the
    /// schema's warm throughput true in is asked: the table's own when the table is created or its warm
    /// throughput raised (with every replica's, which follow), and each new replica's.
    ///
    /// A replica in another account is not asked: its quota is that account's, which these credentials
    /// cannot read.
    ///
    /// The quota compared is DescribeLimits' `TableMaxReadCapacityUnits`/`TableMaxWriteCapacityUnits`,
    /// the account's per-table limits in that region, for the table and each GSI alike (an index's
    /// quota is the table's). A region that does not answer blocks the plan too: the check cannot be
    /// skipped silently, and `iam` grants `dynamodb:DescribeLimits` to schemas with warm throughput.
    func warmThroughputQuotaPreconditions(_ plan: TablePlan, schema: TableSchema)
        async throws(ProvisioningError) -> [BlockedChange]
    {
        let wanted = Self.wantedWarmThroughput(schema)
        guard !wanted.isEmpty else { return [] }
        var regions: [String?] = []
        func add(_ region: String?) {
            if !regions.contains(region) { regions.append(region) }
        }
        for step in plan.steps {
            switch step {
            case .createTable:
                add(nil)
            case .createIndex(let index, _) where index.warmThroughput != nil:
                // A new or recreated index's warm throughput is the table's in every replica too.
                add(nil)
                for replica in schema.replicas where !replica.isInAnotherAccount { add(replica.region) }
            case .updateSettings(let change)
            where change.throughput.contains { $0.field == ThroughputSetting.warmThroughput.field }:
                add(nil)
                for replica in schema.replicas where !replica.isInAnotherAccount { add(replica.region) }
            default:
                for region in ReplicaChanges.createdRegions(step) { add(region) }
            }
        }
        var blocked: [BlockedChange] = []
        for region in regions {
            // The table's own region is the connection's: asked without naming it, as every other call is.
            let place = region ?? controlPlane.region ?? "the table's region"
            let limits: JSONValue
            do {
                limits =
                    if let region {
                        try await controlPlane.send("DescribeLimits", [:], region: region)
                    } else {
                        try await controlPlane.send("DescribeLimits", [:])
                    }
            } catch is CancellationError {
                throw .cancelled(table: plan.table)
            } catch {
                blocked.append(
                    BlockedChange(
                        field: "warm_throughput", live: "no readable quota in \(place) (\(error))",
                        wanted: "warm throughput checked against \(place)'s quota",
                        reason:
                            "DynamoDB pre-warms only up to the account's table quota in each region; "
                            + "dynamodb:DescribeLimits must be allowed there to check it"))
                continue
            }
            for item in wanted {
                for (side, units, quotaMember) in [
                    ("read_units", item.warm.readUnits, "TableMaxReadCapacityUnits"),
                    ("write_units", item.warm.writeUnits, "TableMaxWriteCapacityUnits"),
                ] {
                    guard let units else { continue }
                    guard let quota = limits[quotaMember]?.intValue else {
                        blocked.append(
                            BlockedChange(
                                field: "\(item.field).\(side)", live: "no \(quotaMember) from \(place)",
                                wanted: "\(units)",
                                reason:
                                    "DescribeLimits did not report the quota to check warm throughput against"
                            ))
                        continue
                    }
                    guard units > quota else { continue }
                    blocked.append(
                        BlockedChange(
                            field: "\(item.field).\(side)", live: "a quota of \(quota) in \(place)",
                            wanted: "\(units)",
                            reason:
                                "DynamoDB pre-warms only up to the account's table quota in each region "
                                + "(\(quotaMember)); ask Service Quotas for more in \(place), or lower it"))
                }
            }
        }
        return blocked
    }

    /// The warm throughput the schema gives, with its field path: the table's, then each GSI's.
    private static func wantedWarmThroughput(_ schema: TableSchema) -> [(field: String, warm: WarmThroughput)]
    {
        var wanted: [(field: String, warm: WarmThroughput)] = []
        if let warm = schema.warmThroughput { wanted.append(("warm_throughput", warm)) }
        for (offset, index) in schema.globalSecondaryIndexes.enumerated() {
            if let warm = index.warmThroughput {
                wanted.append(("gsis[\(offset + 1)].warm_throughput", warm))
            }
        }
        return wanted
    }
}

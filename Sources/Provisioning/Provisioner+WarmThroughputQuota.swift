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
    /// A replica in another account is asked in its account (its quota is that account's), through the
    /// target it names (``accountReplicas``), when the plan creates it or raises the table's warm
    /// throughput, which replicates to it.
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
        var places: [QuotaPlace] = []
        func add(_ place: QuotaPlace) {
            if !places.contains(place) { places.append(place) }
        }
        func addEveryReplica() {
            for replica in schema.replicas { add(QuotaPlace(replica)) }
        }
        for step in plan.steps {
            switch step {
            case .createTable:
                add(.own)
            case .createIndex(let index, _) where index.warmThroughput != nil:
                // A new or recreated index's warm throughput is the table's in every replica too.
                add(.own)
                addEveryReplica()
            case .updateSettings(let change)
            where change.throughput.contains { $0.field == ThroughputSetting.warmThroughput.field }:
                add(.own)
                addEveryReplica()
            case .createAccountReplica(let replica):
                add(QuotaPlace(replica))
            default:
                for region in ReplicaChanges.createdRegions(step) { add(.region(region)) }
            }
        }
        var blocked: [BlockedChange] = []
        for quotaPlace in places {
            let place = quotaPlace.description(ownRegion: controlPlane.region)
            let limits: JSONValue
            do {
                switch quotaPlace {
                case .own:
                    // The table's own region is the connection's: asked without naming it, as every other call is.
                    limits = try await controlPlane.send("DescribeLimits", [:])
                case .region(let region):
                    limits = try await controlPlane.send("DescribeLimits", [:], region: region)
                case .account(let account, let target, let region):
                    limits = try await connection(account: account, target: target, region: region)
                        .send("DescribeLimits", [:])
                }
            } catch is CancellationError {
                throw .cancelled(table: plan.table)
            } catch {
                // No connection to a replica's account is its target's problem, not a permission's.
                let needed =
                    error is AccountReplicaConnectionError
                    ? "a usable target for that account is needed to check it"
                    : "dynamodb:DescribeLimits must be allowed there to check it"
                blocked.append(
                    BlockedChange(
                        field: "warm_throughput", live: "no readable quota in \(place) (\(error))",
                        wanted: "warm throughput checked against \(place)'s quota",
                        reason: "DynamoDB pre-warms only up to the account's table quota in each region; "
                            + needed))
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

    /// Where a quota is asked: the table's own region, another region of its account, or a replica's
    /// region in another account, through the target it names.
    enum QuotaPlace: Equatable {
        case own
        case region(String)
        case account(String, target: String?, region: String)

        init(_ replica: Replica) {
            if let account = replica.account {
                self = .account(account, target: replica.target, region: replica.region)
            } else {
                self = .region(replica.region)
            }
        }

        func description(ownRegion: String?) -> String {
            switch self {
            case .own: ownRegion ?? "the table's region"
            case .region(let region): region
            case .account(let account, _, let region): "\(region), account \(account)"
            }
        }
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

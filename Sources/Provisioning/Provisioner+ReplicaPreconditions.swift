import Schema

extension Provisioner {
    /// Everything that stops `plan` before its first call, found by asking DynamoDB: the replicas'
    /// regions (``replicaPreconditions(_:)``), the replicas in other accounts
    /// (``accountReplicaPreconditions(_:_:)``) and the warm-throughput quotas
    /// (``warmThroughputQuotaPreconditions(_:schema:)``).
    func preconditions(_ plan: TablePlan, schema: TableSchema) async throws(ProvisioningError)
        -> [BlockedChange]
    {
        try await replicaPreconditions(plan) + accountReplicaPreconditions(plan, schema)
            + warmThroughputQuotaPreconditions(plan, schema: schema)
    }

    /// What stops each replica `plan` creates, found by asking the replica's region before the first
    /// call: a table of that name there already ("Each global table can have only one replica per AWS
    /// Region": DynamoDB makes the replica's table itself and refuses a Create where one exists), or a
    /// region that does not answer these credentials (not enabled for the account, or refused): each a
    /// blocked change naming the region and the reason, so nothing is sent.
    func replicaPreconditions(_ plan: TablePlan) async throws(ProvisioningError) -> [BlockedChange] {
        var blocked: [BlockedChange] = []
        for region in plan.steps.flatMap(ReplicaChanges.createdRegions) {
            do {
                _ = try await controlPlane.send(
                    "DescribeTable", ["TableName": .string(plan.table)], region: region)
                blocked.append(
                    BlockedChange(
                        field: "replicas", live: "a table named '\(plan.table)' in \(region)",
                        wanted: "a replica in \(region)",
                        reason:
                            "DynamoDB makes a replica's table itself and refuses a replica where a table of "
                            + "that name exists: delete or rename the table in \(region) first"))
            } catch let error as ControlPlaneError where error.isNotFound {
                continue
            } catch is CancellationError {
                throw .cancelled(table: plan.table)
            } catch {
                blocked.append(
                    BlockedChange(
                        field: "replicas", live: "\(region) did not answer: \(error)",
                        wanted: "a replica in \(region)",
                        reason:
                            "the replica's region must answer these credentials (enabled for the account, "
                            + "dynamodb:DescribeTable allowed there)"))
            }
        }
        return blocked
    }
}

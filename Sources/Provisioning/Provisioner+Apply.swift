import JSON
import Schema

extension Provisioner {
    /// Converges every table to its schema, concurrently; one result per schema, in order.
    public func apply(_ schemas: [TableSchema]) async -> [ApplyResult] {
        await concurrently(schemas) { schema in
            let result = await converge(schema)
            events(.finished(result))
            return result
        }
    }

    /// Read, plan, carry out the steps, and again, until the plan is empty or the rounds run out.
    func converge(_ schema: TableSchema) async -> ApplyResult {
        var progress = Progress()
        do throws(ProvisioningError) {
            try Self.requireValid(schema)
            for round in 0..<maximumRounds {
                let (live, plan) = try await settledPlan(schema)
                if round == 0 { events(.planned(plan)) }
                if !plan.blocked.isEmpty { throw .blocked(table: schema.name, changes: plan.blocked) }
                if plan.steps.isEmpty { return progress.result(table: schema.name, arn: live?.arn) }
                progress.pending = plan.steps
                try await carryOut(plan.steps, schema: schema, arn: live?.arn ?? "", progress: &progress)
            }
            let (live, plan) = try await settledPlan(schema)
            if plan.isUpToDate { return progress.result(table: schema.name, arn: live?.arn) }
            if let failure = progress.lastFailure {
                throw .stepFailed(table: schema.name, step: failure.step, cause: failure.cause)
            }
            throw .didNotConverge(table: schema.name, remaining: plan.steps.map(\.summary))
        } catch {
            return ApplyResult(
                table: schema.name, status: .failed, steps: progress.done, notDone: progress.pending,
                error: error)
        }
    }

    /// The plan against the live table once it has settled (a change of another run may be under way).
    private func settledPlan(_ schema: TableSchema) async throws(ProvisioningError) -> (LiveTable?, TablePlan)
    {
        var live = try await read(schema.name)
        if let table = live, !table.isSettled {
            try await waitUntilSettled(schema.name)
            live = try await read(schema.name)
        }
        return (live, TableDiff.plan(schema, live: live))
    }

    /// Carries out steps in order, waiting after each until the table settles. Returns early (for the
    /// caller to plan again) when DynamoDB says another change holds the table.
    private func carryOut(
        _ steps: [PlanStep], schema: TableSchema, arn: String, progress: inout Progress
    ) async throws(ProvisioningError) {
        var arn = arn
        for step in steps {
            if Task.isCancelled { throw .cancelled(table: schema.name) }
            events(.stepStarted(table: schema.name, step: step))
            do {
                for request in StepRequests.requests(for: step, schema: schema, arn: arn) {
                    _ = try await controlPlane.send(request.operation, request.body)
                }
            } catch let error as ControlPlaneError where error.isInUse {
                // Another creator, or a change still running: let it finish, then plan again.
                try await waitUntilSettled(schema.name)
                return
            } catch let error as ControlPlaneError {
                throw .stepFailed(table: schema.name, step: step.summary, cause: error.description)
            } catch is CancellationError {
                throw .cancelled(table: schema.name)
            } catch {
                // The request may or may not have been carried out (a lost response): look again.
                progress.lastFailure = (step.summary, String(describing: error))
                return
            }
            progress.record(step)
            arn = try await waitUntilSettled(schema.name).arn
        }
    }

    /// Deletes every table concurrently; the error of each table that could not be deleted, in order.
    public func concurrentlyDelete(_ names: [String]) async -> [ProvisioningError?] {
        await concurrently(names) { name in
            do throws(ProvisioningError) {
                try await delete(name)
                return nil
            } catch {
                return error
            }
        }
    }

    /// ``delete(_:)`` of one table: refuses while deletion protection is on; a table that is already
    /// gone counts as deleted. Waits until DynamoDB no longer lists it.
    public func delete(_ name: String) async throws(ProvisioningError) {
        guard let described = try await describe(name) else { return }
        let table = try LiveTable(describeTable: described)
        if table.deletionProtection { throw .deletionProtected(table: name) }
        if table.status != "DELETING" {
            do {
                _ = try await controlPlane.send("DeleteTable", ["TableName": .string(name)])
            } catch let error as ControlPlaneError where error.isNotFound {
                return
            } catch let error as ControlPlaneError where error.isInUse {
                try await waitUntilSettled(name)
                try await delete(name)
                return
            } catch is CancellationError {
                throw .cancelled(table: name)
            } catch {
                throw .stepFailed(table: name, step: "delete table", cause: String(describing: error))
            }
        }
        try await waitUntilGone(name)
        events(.deleted(table: name))
    }
}

/// The steps one apply has carried out, and what they add up to.
private struct Progress {
    var done: [PlanStep] = []
    /// The steps of the plan being carried out that are not done yet.
    var pending: [PlanStep] = []
    var created = false
    /// The last step whose outcome was unknown (its response was lost), and why.
    var lastFailure: (step: String, cause: String)?

    mutating func record(_ step: PlanStep) {
        done.append(step)
        if let index = pending.firstIndex(of: step) { pending.remove(at: index) }
        lastFailure = nil
        if case .createTable = step { created = true }
    }

    func result(table: String, arn: String?) -> ApplyResult {
        let status: ApplyResult.Status = created ? .created : done.isEmpty ? .exists : .updated
        return ApplyResult(table: table, status: status, arn: arn, steps: done)
    }
}

import DynamoDB
import JSON
import Schema

extension Provisioner {
    /// Converges every table to its schema, concurrently; one result per schema, in order. Schemas that
    /// name the same table are refused (``DuplicateTableNames``): two convergences of one table would
    /// undo each other.
    public func apply(_ schemas: [TableSchema]) async -> [ApplyResult] {
        let duplicates = DuplicateTableNames.problems(schemas)
        return await concurrently(Array(schemas.enumerated())) { offset, schema in
            let result = await converge(schema, duplicate: duplicates[offset])
            events(.finished(result))
            return result
        }
    }

    /// Read, plan, carry out the steps, and again, until the plan is empty (or holds only steps
    /// DynamoDB does not allow yet, reported `PENDING`) or the rounds run out.
    func converge(_ schema: TableSchema, duplicate: String? = nil) async -> ApplyResult {
        var progress = Progress()
        do throws(ProvisioningError) {
            try Self.requireValid(schema, duplicate: duplicate, region: controlPlane.region)
            for round in 0..<maximumRounds {
                let (live, plan) = try await settledPlan(schema, progress: &progress)
                if round == 0 { events(.planned(plan)) }
                if !plan.blocked.isEmpty { throw .blocked(table: schema.name, changes: plan.blocked) }
                let steps = progress.runnable(plan.steps)
                if steps.isEmpty {
                    return progress.result(table: schema.name, arn: live?.arn, plan: plan.steps)
                }
                progress.pending = plan.steps
                try await carryOut(steps, schema: schema, live: live, progress: &progress)
            }
            let (live, plan) = try await settledPlan(schema, progress: &progress)
            if plan.blocked.isEmpty, progress.runnable(plan.steps).isEmpty {
                return progress.result(table: schema.name, arn: live?.arn, plan: plan.steps)
            }
            if let failure = progress.lastFailure {
                throw .stepFailed(table: schema.name, step: failure.step, cause: failure.cause)
            }
            throw .didNotConverge(table: schema.name, remaining: plan.steps.map(\.summary))
        } catch {
            // A step whose request went out but whose answer was never seen may have changed the
            // table: it is neither done nor "not done".
            var notDone = progress.pending
            var mayHaveRun: [PlanStep] = []
            if case .cancelled = error, let uncertain = progress.uncertain {
                mayHaveRun = [uncertain]
                if let index = notDone.firstIndex(of: uncertain) { notDone.remove(at: index) }
            }
            return ApplyResult(
                table: schema.name, status: .failed, steps: progress.done, notDone: notDone,
                mayHaveRun: mayHaveRun, error: error)
        }
    }

    /// The plan against the live table once it has settled (a change of another run may be under way),
    /// TTL included. A table this apply has seen that is gone now was deleted under it: that fails at once.
    private func settledPlan(_ schema: TableSchema, progress: inout Progress) async throws(ProvisioningError)
        -> (LiveTable?, TablePlan)
    {
        var live = try await read(schema.name, settings: .givenBy(schema))
        if live == nil, progress.tableExisted {
            throw .tableDeleted(table: schema.name, waitingFor: "reading the table")
        }
        if let table = live,
            !table.isSettled || DynamoDBRules.isTimeToLiveInTransition(table.timeToLive.status)
        {
            try await waitUntilSettled(schema.name, ifAbsent: .fail)
            try await waitUntilTimeToLiveSettled(schema.name)
            live = try await read(schema.name, settings: .givenBy(schema))
            if live == nil { throw .tableDeleted(table: schema.name, waitingFor: "reading the table") }
        }
        if live != nil { progress.tableExisted = true }
        return (live, try await checkedPlan(schema, live: live))
    }

    /// Carries out steps in order, waiting after each until the table settles. Returns early (for the
    /// caller to plan again) when DynamoDB says another change holds the table. A TTL change DynamoDB
    /// does not allow yet is deferred (``Progress/deferredTimeToLive``) and the other steps go on.
    private func carryOut(
        _ steps: [PlanStep], schema: TableSchema, live: LiveTable?, progress: inout Progress
    ) async throws(ProvisioningError) {
        var arn = live?.arn ?? ""
        var indexes = live?.globalSecondaryIndexes.map(\.index) ?? []
        for step in steps {
            if Task.isCancelled { throw .cancelled(table: schema.name) }
            if step.changesTimeToLive, let last = progress.lastTimeToLiveChange {
                // This apply changed TTL already: DynamoDB refuses another change for an hour.
                progress.deferTimeToLive(
                    step, notBefore: last.adding(seconds: DynamoDBRules.timeToLiveChangeInterval))
                continue
            }
            if step.changesTimeToLive, progress.deferredTimeToLive != nil {
                // An earlier TTL step waits (the disable of an attribute change): this one comes after it,
                // even when DynamoDB's hour has run out meanwhile, since enabling another attribute while
                // the old one is on is refused.
                continue
            }
            if let setting = step.operatedSetting {
                try await waitUntilReady(setting, name: schema.name, arn: arn)
            }
            if let region = step.deletedReplicaRegion {
                let confirmed = await confirmReplicaDeletion?(schema.name, region) == true
                // Ctrl-C while the question was asked: nothing more starts, whatever was answered.
                if Task.isCancelled { throw .cancelled(table: schema.name) }
                if !confirmed {
                    throw .stepFailed(
                        table: schema.name, step: step.summary, cause: ReplicaChanges.unconfirmedDeletion)
                }
            }
            if case .createStrongGlobalTable = step { try await requireEmpty(schema.name, for: step) }
            events(.stepStarted(table: schema.name, step: step))
            switch step {
            case .createAccountReplica, .deleteAccountReplica, .grantAccountReplica:
                // Sent in the replica's account, with its target's credentials; waited on there.
                var sent = false
                do {
                    try await carryOutAccountReplica(step, schema: schema, arn: arn, sent: &sent)
                } catch {
                    // Interrupted once its writes began: the next plan shows whether they took.
                    if case .cancelled = error, sent { progress.uncertain = step }
                    throw error
                }
                progress.record(step)
                let settled = try await waitUntilSettled(schema.name, ifAbsent: .fail)
                arn = settled.arn
                indexes = settled.globalSecondaryIndexes.map(\.index)
                continue
            default:
                break
            }
            var sent = false
            do {
                let (region, requests) = try await requests(
                    for: step, schema: schema, arn: arn, liveIndexes: indexes)
                for (offset, request) in requests.enumerated() {
                    if offset > 0, DynamoDBRules.needsSettledTable(before: request.operation) {
                        if let region {
                            try await waitUntilReplicaActive(schema.name, region: region)
                        } else {
                            try await waitUntilSettled(schema.name, ifAbsent: .fail)
                        }
                    }
                    sent = true
                    _ = try await sendFollowingRules(request, step: step, table: schema.name, region: region)
                }
            } catch let error as ProvisioningError {
                if case .cancelled = error, sent { progress.uncertain = step }
                throw error
            } catch let error as ControlPlaneError where error.isInUse {
                // Another creator, or a change still running: let it finish, then plan again.
                try await waitUntilSettled(schema.name, ifAbsent: progress.tableExisted ? .fail : .waitForIt)
                return
            } catch let error as ControlPlaneError
                where step.changesTimeToLive && DynamoDBRules.isTimeToLiveChangedTooRecently(error)
            {
                // Either this very change took and its response was lost (the client's retry is the
                // "additional" call), or TTL changed within the hour in an earlier run or by someone else.
                if !(try await timeToLive(of: schema.name, isAsAfter: step)) {
                    // DynamoDB does not say when that change was made: an hour from now is the latest.
                    progress.deferTimeToLive(
                        step,
                        notBefore: UTCTimestamp.now().adding(seconds: DynamoDBRules.timeToLiveChangeInterval))
                    continue
                }
            } catch let error as ControlPlaneError
                where step.operatedSetting?.staleRevisionCode == error.code
            {
                // The revision read no longer matches: someone changed the policy, or DynamoDB's
                // eventually consistent GetResourcePolicy gave the one before. Read and plan again.
                progress.lastFailure = (step.summary, error.description)
                return
            } catch let error as ControlPlaneError {
                var cause = error.description
                if let limit = DynamoDBRules.limit(error) { cause += " (\(limit.advice))" }
                throw .stepFailed(table: schema.name, step: step.summary, cause: cause)
            } catch is CancellationError {
                if sent { progress.uncertain = step }
                throw .cancelled(table: schema.name)
            } catch {
                // The request may or may not have been carried out (a lost response): look again.
                progress.lastFailure = (step.summary, String(describing: error))
                progress.uncertain = step
                return
            }
            progress.record(step)
            if case .createTable = step { progress.tableExisted = true }
            if case .updateOperatedSetting(let change) = step, let setting = change.setting,
                setting.waitsUntilRead
            {
                try await waitUntilRead(setting, wanted: change.wanted, name: schema.name, arn: arn)
            }
            if step.changesTimeToLive {
                progress.lastTimeToLiveChange = UTCTimestamp.now()
                try await waitUntilTimeToLiveSettled(schema.name)
            }
            var absent = AbsentTable.fail
            if case .createTable = step { absent = .waitUntilSeen }
            let settled = try await waitUntilSettled(schema.name, ifAbsent: absent)
            for region in ReplicaChanges.createdRegions(step) {
                try await waitUntilReplicaActive(schema.name, region: region)
            }
            if case .updateReplicaSettings(let region, _) = step {
                try await waitUntilReplicaActive(schema.name, region: region)
            }
            arn = settled.arn
            indexes = settled.globalSecondaryIndexes.map(\.index)
        }
    }

    /// The requests of `step` and the region they go to (nil: the table's own). A replica's settings go
    /// to its region, with the replica table's ARN there, read now when the plan could not (a replica
    /// this apply made).
    private func requests(
        for step: PlanStep, schema: TableSchema, arn: String, liveIndexes: [GlobalSecondaryIndex]
    ) async throws(ProvisioningError) -> (region: String?, requests: [(operation: String, body: JSONValue)]) {
        guard case .updateReplicaSettings(let region, let change) = step else {
            return (nil, StepRequests.requests(for: step, schema: schema, arn: arn, liveIndexes: liveIndexes))
        }
        var replicaARN = change.arn ?? ""
        if replicaARN.isEmpty {
            let described = try await send(
                "DescribeTable", ["TableName": .string(schema.name)], table: schema.name, region: region)
            replicaARN = described["Table"]?["TableArn"]?.stringValue ?? ""
        }
        return (region, ReplicaChanges.regionalRequests(change, table: .string(schema.name), arn: replicaARN))
    }

    /// Refuses `step` (turning multi-Region strong consistency on) unless the table holds no item:
    /// DynamoDB's rule, checked with a one-item scan since DescribeTable's count lags by hours.
    private func requireEmpty(_ name: String, for step: PlanStep) async throws(ProvisioningError) {
        let answer = try await send(
            "Scan", ["TableName": .string(name), "Limit": 1, "Select": "COUNT"], table: name)
        let count = answer["Count"]?.intValue ?? 0
        if count > 0 {
            throw .stepFailed(
                table: name, step: step.summary,
                cause:
                    "the table has items; DynamoDB turns multi-Region strong consistency on only for an empty table"
            )
        }
    }

    /// Whether the table's TTL is already what `step` makes it.
    private func timeToLive(of name: String, isAsAfter step: PlanStep) async throws(ProvisioningError) -> Bool
    {
        let response = try await send("DescribeTimeToLive", ["TableName": .string(name)], table: name)
        let live = LiveTable.timeToLive(response)
        switch step {
        case .enableTimeToLive(let attribute, _): return live.effectiveAttribute == attribute
        case .disableTimeToLive: return live.effectiveAttribute == nil
        default: return false
        }
    }

    /// Sends one request of a step, waiting and sending it again while DynamoDB refuses it for a
    /// reason its rules say will pass: too many simultaneous table operations in the account, or
    /// continuous backups not enabled yet on a new table. Each retry is a `retrying` event.
    private func sendFollowingRules(
        _ request: (operation: String, body: JSONValue), step: PlanStep, table: String, region: String? = nil
    ) async throws -> JSONValue {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            do {
                if let region {
                    return try await controlPlane.send(request.operation, request.body, region: region)
                }
                return try await controlPlane.send(request.operation, request.body)
            } catch let error as ControlPlaneError {
                let reason: String
                if DynamoDBRules.limit(error) == .simultaneousOperations {
                    reason = DynamoDBRules.Limit.simultaneousOperations.advice + " (LimitExceededException)"
                } else if let setting = step.operatedSetting, setting.isNotReady(error.code),
                    let readiness = setting.readiness
                {
                    reason = readiness.retryReason
                } else {
                    throw error
                }
                try await pause(
                    table, attempt: &attempt, since: start, clock: clock, waitingFor: reason, retrying: step)
            }
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
    /// Whether the table has been seen (or created) by this apply: if it vanishes, it was deleted.
    var tableExisted = false
    /// The last step whose outcome was unknown (its response was lost), and why.
    var lastFailure: (step: String, cause: String)?
    /// The step whose request was sent and whose answer was not seen (lost, or cancelled while
    /// waiting for it): if the run ends here, it may have run.
    var uncertain: PlanStep?
    /// When this apply last changed TTL: DynamoDB allows the next change an hour later.
    var lastTimeToLiveChange: UTCTimestamp?
    /// A TTL change DynamoDB does not allow yet: every TTL step waits for a later apply.
    var deferredTimeToLive: PendingChange?

    mutating func record(_ step: PlanStep) {
        done.append(step)
        if let index = pending.firstIndex(of: step) { pending.remove(at: index) }
        lastFailure = nil
        uncertain = nil
        if case .createTable = step { created = true }
    }

    mutating func deferTimeToLive(_ step: PlanStep, notBefore: UTCTimestamp) {
        guard deferredTimeToLive == nil else { return }
        deferredTimeToLive = PendingChange(
            step: step, notBefore: notBefore, reason: "DynamoDB allows one TTL change per table per hour")
    }

    /// The steps of `plan` this apply may carry out now: all but deferred TTL changes.
    func runnable(_ plan: [PlanStep]) -> [PlanStep] {
        guard deferredTimeToLive != nil else { return plan }
        return plan.filter { !$0.changesTimeToLive }
    }

    /// The result once nothing runnable is left of `plan`: `PENDING` when deferred steps remain.
    func result(table: String, arn: String?, plan: [PlanStep]) -> ApplyResult {
        if let deferred = deferredTimeToLive, !plan.isEmpty {
            return ApplyResult(
                table: table, status: .pending, arn: arn, steps: done, notDone: plan, pendingChange: deferred)
        }
        let status: ApplyResult.Status = created ? .created : done.isEmpty ? .exists : .updated
        return ApplyResult(table: table, status: status, arn: arn, steps: done)
    }
}

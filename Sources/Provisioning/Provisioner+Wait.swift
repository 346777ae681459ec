import JSON
import Schema

extension Provisioner {
    /// Polls DescribeTable until the table and every index are ACTIVE and nothing is backfilling, and
    /// returns the table as described (without TTL, backups or tags). A table that is not visible yet
    /// (just created) is waited for too.
    @discardableResult
    public func waitUntilSettled(_ name: String) async throws(ProvisioningError) -> LiveTable {
        try await waitUntilSettled(name, ifAbsent: .waitForIt)
    }

    /// What a wait does about a table DescribeTable does not find.
    enum AbsentTable {
        /// Wait for it to appear (`sentinel.wait` on a table another process creates).
        case waitForIt
        /// Wait for it to appear only until it has been seen once (right after CreateTable).
        case waitUntilSeen
        /// It existed: it was deleted, and waiting can only end at the timeout, so fail at once.
        case fail
    }

    /// ``waitUntilSettled(_:)``, with what to do when the table is missing or being deleted. Apply
    /// never waits for a table that was deleted under it: that would last until the wait timeout.
    @discardableResult
    func waitUntilSettled(_ name: String, ifAbsent absent: AbsentTable) async throws(ProvisioningError)
        -> LiveTable
    {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        var seen = false
        var waitingFor = "table to appear"
        while true {
            if let described = try await describe(name) {
                let table = try LiveTable(describeTable: described)
                seen = true
                if table.isSettled { return table }
                if let failed = table.replicas.first(where: {
                    ReplicaChanges.failedStatuses.contains($0.status)
                }) {
                    // A replica DynamoDB gave up on stays so: waiting would only end at the timeout.
                    throw .request(
                        table: name, operation: "UpdateTable",
                        cause: "the replica in \(failed.region) is \(failed.status)"
                            + (failed.statusDescription.map { ": \($0)" } ?? ""))
                }
                if table.status == "DELETING", absent != .waitForIt {
                    throw .tableDeleted(table: name, waitingFor: "waiting for \(Self.pending(table))")
                }
                waitingFor = Self.pending(table)
            } else if absent == .fail || (absent == .waitUntilSeen && seen) {
                throw .tableDeleted(table: name, waitingFor: "waiting for \(waitingFor)")
            }
            try await pause(name, attempt: &attempt, since: start, clock: clock, waitingFor: waitingFor)
        }
    }

    /// Polls DescribeTimeToLive until TTL is neither ENABLING nor DISABLING (``DynamoDBRules``).
    func waitUntilTimeToLiveSettled(_ name: String) async throws(ProvisioningError) {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            let response = try await send("DescribeTimeToLive", ["TableName": .string(name)], table: name)
            let status = response["TimeToLiveDescription"]?["TimeToLiveStatus"]?.stringValue ?? "DISABLED"
            if !DynamoDBRules.isTimeToLiveInTransition(status) { return }
            try await pause(name, attempt: &attempt, since: start, clock: clock, waitingFor: "TTL \(status)")
        }
    }

    /// Polls `setting`'s read until its ``OperatedSetting/Readiness`` says a write may be sent (a new
    /// table's continuous backups are enabled a while after it turns ACTIVE). A server that does not
    /// report what it waits for is taken at its word.
    func waitUntilReady(_ setting: OperatedSetting, name: String, arn: String) async throws(ProvisioningError)
    {
        guard let readiness = setting.readiness else { return }
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            let answer = try await send(
                setting.read.operation, setting.readRequest(name: name, arn: arn), table: name)
            guard let pending = readiness.pending(answer) else { return }
            try await pause(name, attempt: &attempt, since: start, clock: clock, waitingFor: pending)
        }
    }

    /// Polls `setting`'s read until it answers `wanted`, for a setting whose reads are eventually
    /// consistent after a write (``OperatedSetting/waitsUntilRead``: the resource policy): the next plan
    /// must not see the value from before and replace it again with a revision that is gone.
    func waitUntilRead(_ setting: OperatedSetting, wanted: JSONValue, name: String, arn: String)
        async throws(ProvisioningError)
    {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            let live = try await read(setting, name: name, arn: arn)
            // A refused read-back (a policy that denies the caller GetResourcePolicy) is said at once: it
            // will not pass by waiting.
            if let cause = live.readError {
                throw .settingNotReadable(table: name, field: setting.field, cause: cause)
            }
            if setting.isSatisfied(wanted: wanted, live: live.value) { return }
            try await pause(
                name, attempt: &attempt, since: start, clock: clock,
                waitingFor: wanted == setting.noneValue
                    ? "the \(setting.title)'s deletion" : "the new \(setting.title)")
        }
    }

    /// Polls until DescribeTable says the table is gone.
    func waitUntilGone(_ name: String) async throws(ProvisioningError) {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while try await describe(name) != nil {
            try await pause(
                name, attempt: &attempt, since: start, clock: clock, waitingFor: "table to be deleted")
        }
    }

    /// Sleeps before poll `attempt`, or gives up at the wait timeout. With `retrying`, the pause is
    /// before a step's request is sent again, and says so in a `retrying` event rather than `waiting`.
    func pause(
        _ name: String, attempt: inout Int, since start: ContinuousClock.Instant, clock: ContinuousClock,
        waitingFor what: String, retrying step: PlanStep? = nil
    ) async throws(ProvisioningError) {
        let elapsed = clock.now - start
        if elapsed >= waitPolicy.timeout {
            throw .waitTimedOut(table: name, waitingFor: what, seconds: WaitPolicy.seconds(elapsed))
        }
        let delay = min(waitPolicy.delay(beforePoll: attempt), waitPolicy.timeout - elapsed)
        if let step {
            events(.retrying(table: name, step: step, reason: what, delay: delay))
        } else {
            events(.waiting(table: name, what: what, elapsed: elapsed))
        }
        attempt += 1
        do {
            try await Task.sleep(for: delay)
        } catch {
            throw .cancelled(table: name)
        }
    }

    /// What a table that is not settled is waiting for, for progress lines.
    static func pending(_ table: LiveTable) -> String {
        if table.status != "ACTIVE" { return "table \(table.status) -> ACTIVE" }
        if let index = table.globalSecondaryIndexes.first(where: { $0.status != "ACTIVE" || $0.isBackfilling }
        ) {
            return index.isBackfilling
                ? "index \(index.name) backfilling" : "index \(index.name) \(index.status) -> ACTIVE"
        }
        if let replica = table.replicas.first(where: { $0.status != "ACTIVE" }) {
            return "replica \(replica.region) \(replica.status) -> ACTIVE"
        }
        if let witness = table.witnesses.first(where: { $0.status != "ACTIVE" }) {
            return "witness \(witness.region) \(witness.status) -> ACTIVE"
        }
        return "table ACTIVE"
    }

    /// Polls DescribeTable in a replica's region until the replica's table there is ACTIVE: what the
    /// table's own description says of it is DynamoDB's view from this region, and the replica is only
    /// usable once its region says so too.
    func waitUntilReplicaActive(_ name: String, region: String) async throws(ProvisioningError) {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            let status: String
            do {
                let described = try await controlPlane.send(
                    "DescribeTable", ["TableName": .string(name)], region: region)
                status = described["Table"]?["TableStatus"]?.stringValue ?? "ACTIVE"
            } catch let error as ControlPlaneError where error.isNotFound {
                status = "not there yet"
            } catch is CancellationError {
                throw .cancelled(table: name)
            } catch {
                throw .request(
                    table: name, operation: "DescribeTable in \(region)", cause: String(describing: error))
            }
            if status == "ACTIVE" { return }
            try await pause(
                name, attempt: &attempt, since: start, clock: clock,
                waitingFor: "the replica's table in \(region): \(status) -> ACTIVE")
        }
    }
}

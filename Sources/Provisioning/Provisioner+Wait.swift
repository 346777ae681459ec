import JSON

extension Provisioner {
    /// Polls DescribeTable until the table and every index are ACTIVE and nothing is backfilling, and
    /// returns the table as described (without TTL, backups or tags). A table that is not visible yet
    /// (just created) is waited for too.
    @discardableResult
    public func waitUntilSettled(_ name: String) async throws(ProvisioningError) -> LiveTable {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            if let described = try await describe(name) {
                let table = try LiveTable(describeTable: described)
                if table.isSettled { return table }
                try await pause(
                    name, attempt: &attempt, since: start, clock: clock, waitingFor: Self.pending(table))
            } else {
                try await pause(
                    name, attempt: &attempt, since: start, clock: clock, waitingFor: "table to appear")
            }
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

    private func pause(
        _ name: String, attempt: inout Int, since start: ContinuousClock.Instant, clock: ContinuousClock,
        waitingFor what: String
    ) async throws(ProvisioningError) {
        let elapsed = clock.now - start
        if elapsed >= waitPolicy.timeout {
            throw .waitTimedOut(table: name, waitingFor: what, seconds: WaitPolicy.seconds(elapsed))
        }
        events(.waiting(table: name, what: what, elapsed: elapsed))
        let delay = min(waitPolicy.delay(beforePoll: attempt), waitPolicy.timeout - elapsed)
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
        return "table ACTIVE"
    }
}

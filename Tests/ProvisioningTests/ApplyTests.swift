import FakeDynamoDB
import JSON
import Provisioning
import Schema
import Testing

/// Apply against the in-memory control plane: convergence, idempotence, waiting and faults.
@Suite struct ApplyTests {
    /// Polls every few milliseconds; the timeout is only a hang guard. It is wall-clock time, and when
    /// the whole suite runs, the CLI tests that wait for processes can hold the two pool threads long
    /// enough that a 10 s bound ran out before the fake's few polls were made (seen on a fresh clone).
    static let fastWaits = WaitPolicy(
        firstDelay: .milliseconds(1), maximumDelay: .milliseconds(5), timeout: .seconds(300))
    static let writes: Set<String> = [
        "CreateTable", "UpdateTable", "DeleteTable", "UpdateTimeToLive", "UpdateContinuousBackups",
        "TagResource",
        "UntagResource",
    ]

    func provisioner(_ fake: FakeDynamoDB) -> Provisioner {
        Provisioner(controlPlane: fake, waitPolicy: Self.fastWaits)
    }

    @Test func bootstrapCreatesAllThreeAndASecondApplyChangesNothing() async throws {
        let fake = FakeDynamoDB(transitionPolls: 2)
        let schemas = BuiltInSchema.allCases.map { $0.schema() }
        let first = await provisioner(fake).apply(schemas)
        #expect(first.map(\.status) == [.created, .created, .created], "\(first.map(\.error))")
        #expect(first.allSatisfy { $0.arn?.hasSuffix("table/\($0.table)") == true })
        let plans = await provisioner(fake).plan(schemas)
        #expect(plans.allSatisfy { (try? $0.get().isUpToDate) == true })
        let writesBefore = await fake.operations.filter(Self.writes.contains).count
        let second = await provisioner(fake).apply(schemas)
        #expect(second.map(\.status) == [.exists, .exists, .exists])
        #expect(await fake.operations.filter(Self.writes.contains).count == writesBefore)
    }

    @Test func driftIsShownAndRepaired() async throws {
        let fake = FakeDynamoDB()
        let schema = BuiltInSchema.sessions.schema()
        _ = await provisioner(fake).apply([schema])
        await fake.edit("sentinel-sessions") { table in
            table.indexes.removeAll { $0.name == "gsi-profile" }
            table.ttl = ("DISABLED", nil)
            table.tags["team"] = "someone-else"
        }
        let plan = try #require(try await provisioner(fake).plan([schema]).first?.get())
        #expect(plan.steps.map(\.kind) == ["create_index", "enable_ttl", "untag"])
        let result = try #require(await provisioner(fake).apply([schema]).first)
        #expect(result.status == .updated)
        #expect(result.steps == plan.steps)
        #expect(try await provisioner(fake).plan([schema]).first?.get().isUpToDate == true)
    }

    @Test func blockedChangesLeaveTheTableUntouched() async throws {
        let fake = FakeDynamoDB()
        var schema = BuiltInSchema.approvals.schema()
        _ = await provisioner(fake).apply([schema])
        let writesBefore = await fake.operations.filter(Self.writes.contains).count
        schema.partitionKey = .number("id")
        schema.pointInTimeRecovery = true
        let result = try #require(await provisioner(fake).apply([schema]).first)
        #expect(result.status == .failed)
        guard case .blocked(_, let changes) = result.error else {
            Issue.record("expected a blocked error, got \(String(describing: result.error))")
            return
        }
        #expect(changes.map(\.field) == ["partition_key"])
        #expect(await fake.operations.filter(Self.writes.contains).count == writesBefore)
    }

    @Test func aLostCreateResponseStillConverges() async throws {
        let fake = FakeDynamoDB(transitionPolls: 1)
        await fake.loseResponse(of: "CreateTable")
        let result = try #require(await provisioner(fake).apply([BuiltInSchema.breakglass.schema()]).first)
        #expect(result.status != .failed, "\(String(describing: result.error))")
        #expect(await fake.operations.filter { $0 == "CreateTable" }.count == 1)
        #expect(
            try await provisioner(fake).plan([BuiltInSchema.breakglass.schema()]).first?.get().isUpToDate
                == true)
    }

    @Test func anotherCreatorIsWaitedForThenConverged() async throws {
        let fake = FakeDynamoDB(transitionPolls: 3)
        // Someone else creates the table (without TTL) just as we try to.
        _ = try await fake.send(
            "CreateTable", BuiltInSchema.sessions.schema(name: "race").createTableRequest())
        let result = try #require(
            await provisioner(fake).apply([BuiltInSchema.sessions.schema(name: "race")]).first)
        #expect(result.status == .updated, "\(String(describing: result.error))")
        #expect(result.steps == [.enableTimeToLive(attribute: "ttl")])
    }

    @Test func oneFailingTableDoesNotStopTheOthers() async throws {
        let fake = FakeDynamoDB()
        await fake.fail("UpdateContinuousBackups", with: "LimitExceededException")
        var hardened = BuiltInSchema.approvals.schema()
        hardened.pointInTimeRecovery = true
        let results = await provisioner(fake).apply([hardened, BuiltInSchema.breakglass.schema()])
        #expect(results.map(\.status) == [.failed, .created])
        #expect(results[0].error?.description.contains("enable point-in-time recovery") == true)
        #expect(results[0].error?.description.contains("LimitExceededException") == true)
    }

    @Test func invalidSchemasFailWithoutACall() async throws {
        let fake = FakeDynamoDB()
        let result = try #require(
            await provisioner(fake).apply([TableSchema(name: "x", partitionKey: .string(""))]).first)
        #expect(result.status == .failed)
        #expect(result.error?.description.contains("name: ") == true)
        #expect(await fake.operations.isEmpty)
    }

    @Test func waitingGivesUpAtTheTimeout() async throws {
        let fake = FakeDynamoDB(transitionPolls: 1_000_000)
        var provisioner = provisioner(fake)
        provisioner.waitPolicy.timeout = .milliseconds(50)
        let result = try #require(await provisioner.apply([BuiltInSchema.sessions.schema()]).first)
        guard case .waitTimedOut(let table, let what, _) = result.error else {
            Issue.record("expected a timeout, got \(String(describing: result.error))")
            return
        }
        #expect(table == "sentinel-sessions")
        #expect(what.contains("CREATING"))
    }

    @Test func cancellingStopsAWaitPromptly() async throws {
        let fake = FakeDynamoDB(transitionPolls: 1_000_000)
        let provisioner = Provisioner(
            controlPlane: fake,
            waitPolicy: WaitPolicy(firstDelay: .milliseconds(20), maximumDelay: .seconds(5)))
        let task = Task { await provisioner.apply([BuiltInSchema.sessions.schema()]) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let result = await task.value.first
        #expect(result?.error == .cancelled(table: "sentinel-sessions"))
    }

    @Test func deleteRefusesProtectedTablesAndTreatsMissingAsDone() async throws {
        let fake = FakeDynamoDB()
        var schema = BuiltInSchema.breakglass.schema()
        schema.deletionProtection = true
        _ = await provisioner(fake).apply([schema])
        await #expect(throws: ProvisioningError.deletionProtected(table: "sentinel-breakglass")) {
            try await provisioner(fake).delete("sentinel-breakglass")
        }
        await fake.edit("sentinel-breakglass") { $0.protection = false }
        try await provisioner(fake).delete("sentinel-breakglass")
        #expect(await fake.tables["sentinel-breakglass"] == nil)
        try await provisioner(fake).delete("sentinel-breakglass")
    }

    @Test func waitPolicyStartsSoonAndCapsItsDelay() {
        let policy = WaitPolicy()
        #expect(policy.delay(beforePoll: 0, random: 0) <= .milliseconds(250))
        #expect(policy.delay(beforePoll: 50, random: 0) == .seconds(5))
        #expect(policy.delay(beforePoll: 50, random: 0.99) >= .milliseconds(3750))
    }

    /// Until the 5 s ceiling, the default polls see a table that settled after T seconds by about
    /// 1.1 T: a wait for new tables costs little more than the tables themselves take.
    @Test func defaultWaitEndsWithinATenthOfTheTimeTheTableTook() {
        let policy = WaitPolicy()
        for settledAfter in stride(from: 0.5, through: 45, by: 0.25) {
            var elapsed = 0.0
            var attempt = 0
            while elapsed < settledAfter {
                elapsed += policy.delay(beforePoll: attempt, random: 0) / .seconds(1)
                attempt += 1
            }
            #expect(
                elapsed <= settledAfter * 1.1 + 0.2, "settled after \(settledAfter) s, seen at \(elapsed) s")
        }
    }
}

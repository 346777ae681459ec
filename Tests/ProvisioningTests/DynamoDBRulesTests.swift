import DynamoDB
import FakeDynamoDB
import JSON
import Schema
import Synchronization
import Testing

@testable import Provisioning

/// DynamoDB's rules (``DynamoDBRules``) in the plan and in apply, against the in-memory control plane
/// made to enforce them. The proxy-backed tests in CLITests check the same rules end to end.
@Suite struct DynamoDBRulesTests {
    let sessions = BuiltInSchema.sessions.schema()

    func provisioner(_ fake: any ControlPlane, events: @escaping ProvisioningEventHandler = { _ in })
        -> Provisioner
    {
        Provisioner(controlPlane: fake, waitPolicy: ApplyTests.fastWaits, events: events)
    }

    var renamed: TableSchema {
        var schema = sessions
        schema.ttlAttribute = "expires_at"
        return schema
    }

    // MARK: TTL

    @Test func aTimeToLiveRenameIsPlannedAsTwoPhasesAnHourApart() throws {
        let steps = TableDiff.plan(renamed, live: liveTable(matching: sessions)).steps
        #expect(
            steps == [
                .disableTimeToLive(attribute: "ttl"),
                .enableTimeToLive(attribute: "expires_at", replacing: "ttl"),
            ])
        let warning = try #require(steps.last?.warning)
        #expect(warning.contains("one TTL change per table per hour"))
        #expect(warning.contains("PENDING"))
        #expect(steps.last?.summary.contains("second phase") == true)
    }

    @Test func applyCarriesOutTheFirstPhaseAndReportsTheSecondPending() async throws {
        let fake = FakeDynamoDB()
        _ = await provisioner(fake).apply([sessions])
        await fake.enforceTimeToLiveHour()
        let before = UTCTimestamp.now()
        let result = try #require(await provisioner(fake).apply([renamed]).first)
        #expect(result.status == .pending, "\(String(describing: result.error))")
        #expect(result.steps == [.disableTimeToLive(attribute: "ttl")])
        #expect(result.notDone == [.enableTimeToLive(attribute: "expires_at")])
        let pending = try #require(result.pendingChange)
        #expect(pending.notBefore >= before.adding(seconds: 3600))
        #expect(ApplyReport.text([result]).contains("\(sessions.name): PENDING: enable TTL on expires_at"))
        #expect(
            ApplyReport.json(result)["pending"]?["not_before"]?.stringValue == pending.notBefore.description)
    }

    @Test func modifiedMultipleTimesIsPendingNeverAPlainFailure() async throws {
        let fake = FakeDynamoDB()
        await fake.enforceTimeToLiveHour()
        var noTTL = sessions
        noTTL.ttlAttribute = nil
        _ = await provisioner(fake).apply([noTTL])
        // An earlier run changed TTL within the hour: the change must wait for a later apply.
        _ = try await fake.send(
            "UpdateTimeToLive",
            [
                "TableName": .string(sessions.name),
                "TimeToLiveSpecification": ["Enabled": false, "AttributeName": "x"],
            ])
        var tagged = sessions
        tagged.tags = ["team": "platform"]
        let result = try #require(await provisioner(fake).apply([tagged]).first)
        #expect(result.status == .pending, "\(String(describing: result.error))")
        #expect(result.pendingChange?.step == .enableTimeToLive(attribute: "ttl"))
        // The other steps were carried out all the same.
        #expect(result.steps.contains { if case .tagResource = $0 { true } else { false } })
    }

    @Test func aRefusedFirstPhaseHoldsTheSecondEvenWhenTheHourRunsOutMeanwhile() async throws {
        let fake = FakeDynamoDB()
        _ = await provisioner(fake).apply([sessions])
        // The disable is refused (TTL changed within the hour by an earlier run) and the hour ends before
        // the next step: enabling expires_at now would find TTL still on ttl, which DynamoDB refuses.
        await fake.fail(
            "UpdateTimeToLive", with: "ValidationException",
            message: "Time to live has been modified multiple times within a fixed interval")
        let before = await fake.operations.count
        let result = try #require(await provisioner(fake).apply([renamed]).first)
        #expect(result.status == .pending, "\(String(describing: result.error))")
        #expect(result.pendingChange?.step == .disableTimeToLive(attribute: "ttl"))
        #expect(result.steps.isEmpty)
        let sent = await fake.operations[before...].filter { $0 == "UpdateTimeToLive" }
        #expect(sent.count == 1)
        let ttl = try await fake.send("DescribeTimeToLive", ["TableName": .string(sessions.name)])
        #expect(ttl["TimeToLiveDescription"]?["AttributeName"]?.stringValue == "ttl")
    }

    @Test func enablingAndDisablingAreWaitedFor() async throws {
        let control = TransitioningTimeToLive(FakeDynamoDB())
        let result = try #require(await provisioner(control).apply([sessions]).first)
        #expect(result.status == .created)
        let operations = control.operations.withLock { $0 }
        let update = try #require(operations.firstIndex(of: "UpdateTimeToLive"))
        // DescribeTimeToLive was polled until it no longer said ENABLING.
        #expect(operations[update...].filter { $0 == "DescribeTimeToLive" }.count >= 3)
    }

    // MARK: Point-in-time recovery

    @Test func pointInTimeRecoveryWaitsForBackupsAfterCreate() async throws {
        let fake = FakeDynamoDB()
        await fake.fail(
            "UpdateContinuousBackups", with: "ContinuousBackupsUnavailableException",
            message: "Backups are being enabled for the table. Please retry later", times: 2)
        var hardened = sessions
        hardened.pointInTimeRecovery = true
        let retries = Mutex<[String]>([])
        let result = try #require(
            await provisioner(fake) { event in
                if case .retrying(_, _, let reason, _) = event { retries.withLock { $0.append(reason) } }
            }.apply([hardened]).first)
        #expect(result.status == .created, "\(String(describing: result.error))")
        #expect(await fake.tables[hardened.name]?.pitr == true)
        #expect(retries.withLock { $0.count } == 2)
    }

    // MARK: Streams

    @Test func aStreamViewChangeWaitsForActiveBetweenDisableAndEnable() async throws {
        let fake = FakeDynamoDB(transitionPolls: 2)
        var streamed = sessions
        streamed.stream = .newImage
        _ = await provisioner(fake).apply([streamed])
        streamed.stream = .keysOnly
        let start = await fake.operations.count
        let result = try #require(await provisioner(fake).apply([streamed]).first)
        #expect(result.status == .updated, "\(String(describing: result.error))")
        let operations = await Array(fake.operations[start...])
        let first = try #require(operations.firstIndex(of: "UpdateTable"))
        let second = try #require(operations[(first + 1)...].firstIndex(of: "UpdateTable"))
        #expect(operations[(first + 1)..<second].contains("DescribeTable"), "\(operations)")
        // No second UpdateTable was refused along the way.
        #expect(operations.filter { $0 == "UpdateTable" }.count == 2, "\(operations)")
    }

    // MARK: Account limits

    @Test func simultaneousOperationLimitsAreRetriedAndShown() async throws {
        let fake = FakeDynamoDB()
        await fake.fail(
            "CreateTable", with: "LimitExceededException",
            message:
                "Subscriber limit exceeded: Only 10 tables can be created, updated, or deleted simultaneously",
            times: 3)
        let retries = Mutex<[String]>([])
        let result = try #require(
            await provisioner(fake) { event in
                if case .retrying(_, let step, let reason, _) = event {
                    retries.withLock { $0.append("\(step.summary): \(reason)") }
                }
            }.apply([sessions]).first)
        #expect(result.status == .created, "\(String(describing: result.error))")
        #expect(retries.withLock { $0.count } == 3)
        #expect(retries.withLock { $0.first?.contains("create table: ") } == true)
        #expect(retries.withLock { $0.first?.contains("LimitExceededException") } == true)
    }

    @Test func otherLimitsNameTheQuotaToRaise() async throws {
        let fake = FakeDynamoDB()
        await fake.fail(
            "CreateTable", with: "LimitExceededException",
            message: "Subscriber limit exceeded: There is a limit of 2500 tables per subscriber")
        let result = try #require(await provisioner(fake).apply([sessions]).first)
        #expect(result.status == .failed)
        let message = result.error?.description ?? ""
        #expect(message.contains("create table"))
        #expect(message.contains("'Maximum number of tables'"), "\(message)")
    }

    @Test(arguments: [
        ("Too many operations for a given subscriber", DynamoDBRules.Limit.simultaneousOperations),
        ("Subscriber limit exceeded: There is a limit of 256 tables per subscriber", .tables),
        ("Maximum number of global secondary indexes per table exceeded", .indexesPerTable),
        ("Something else", .other),
    ])
    func limitsAreToldApart(message: String, limit: DynamoDBRules.Limit) {
        #expect(
            DynamoDBRules.limit(ControlPlaneError(code: "LimitExceededException", message: message)) == limit)
        #expect(DynamoDBRules.limit(ControlPlaneError(code: "ValidationException", message: message)) == nil)
    }

    // MARK: One table, one schema

    @Test func duplicateTableNamesAreAValidationErrorNamingBothPositions() async throws {
        let fake = FakeDynamoDB()
        let schemas = [sessions, BuiltInSchema.approvals.schema(), sessions]
        let results = await provisioner(fake).apply(schemas)
        #expect(results.map(\.status) == [.failed, .created, .failed])
        for result in [results[0], results[2]] {
            guard case .invalidSchema(_, let problems) = result.error else {
                Issue.record("expected a validation error, got \(String(describing: result.error))")
                continue
            }
            #expect(
                problems.contains { $0.contains("schemas #1 and #3") && $0.contains("'sentinel-sessions'") })
        }
        #expect(await fake.tables[sessions.name] == nil)
        let plans = await provisioner(fake).plan(schemas)
        #expect(plans.map { (try? $0.get()) == nil } == [true, false, true])
        #expect(Provisioner.offlinePlan(schemas).map { (try? $0.get()) == nil } == [true, false, true])
    }

    // MARK: A table deleted under apply

    @Test func aTableDeletedWhileApplyWaitsFailsAtOnce() async throws {
        let control = VanishingTable(FakeDynamoDB(transitionPolls: 1_000_000))
        var provisioner = provisioner(control)
        provisioner.waitPolicy.timeout = .seconds(600)
        let result = try #require(await provisioner.apply([sessions]).first)
        guard case .tableDeleted(let table, _) = result.error else {
            Issue.record("expected the table to be reported deleted, got \(String(describing: result.error))")
            return
        }
        #expect(table == sessions.name)
        #expect(result.error?.description.contains("was deleted") == true)
        // At once: the first answer that the table is gone ends the wait (not the 600 s timeout, and
        // not more polling); how long that took is not asserted.
        #expect(control.notFoundAnswers == 1)
    }

    // MARK: Attribute definitions

    @Test func anIndexCreateDefinesEveryAttributeTheTableAndItsIndexesUse() throws {
        let index = GlobalSecondaryIndex(
            name: "gsi-device-id", partitionKey: .string("device_id"), sortKey: .string("created_at"),
            projection: .all)
        let requests = StepRequests.requests(
            for: .createIndex(index, replacing: false), schema: sessions, arn: "",
            liveIndexes: sessions.globalSecondaryIndexes)
        let names = requests[0].body["AttributeDefinitions"]?.arrayValue?.compactMap {
            $0["AttributeName"]?.stringValue
        }
        #expect(
            names == ["created_at", "device_id", "id", "profile", "server_instance_id", "status", "user"])
    }

    // MARK: Billing

    @Test func billingSwitchesWarnInThePlan() throws {
        var provisioned = sessions
        provisioned.billingMode = .provisioned
        provisioned.readCapacity = 5
        provisioned.writeCapacity = 5
        provisioned.globalSecondaryIndexes = provisioned.globalSecondaryIndexes.map {
            var index = $0
            index.readCapacity = 1
            index.writeCapacity = 1
            return index
        }
        let toProvisioned = TableDiff.plan(provisioned, live: liveTable(matching: sessions)).steps
        let warning = try #require(toProvisioned.first { $0.kind == "update_settings" }?.warning)
        #expect(warning.contains("every index"))
        let toOnDemand = TableDiff.plan(sessions, live: liveTable(matching: provisioned)).steps
        let back = try #require(toOnDemand.first { $0.kind == "update_settings" }?.warning)
        #expect(back.contains("four times in a 24-hour"))
        #expect(
            PlanReport.text([.success(TableDiff.plan(sessions, live: liveTable(matching: provisioned)))])
                .contains("!   warning: DynamoDB allows switching"))
    }
}

/// The fake, with DescribeTable answering "not found" from the second look after CreateTable on (someone
/// deleted the table while it was being created).
private final class VanishingTable: ControlPlane {
    let inner: FakeDynamoDB
    /// DescribeTable calls since CreateTable; nil before it.
    private let describesSinceCreate = Mutex<Int?>(nil)
    /// The DescribeTable calls answered "not found" (the table gone).
    private let notFound = Mutex(0)
    var notFoundAnswers: Int { notFound.withLock { $0 } }

    init(_ inner: FakeDynamoDB) { self.inner = inner }

    func send(_ operation: String, _ body: JSONValue) async throws -> JSONValue {
        if operation == "DescribeTable" {
            let count = describesSinceCreate.withLock { count -> Int? in
                count = count.map { $0 + 1 }
                return count
            }
            if let count, count > 1 {
                notFound.withLock { $0 += 1 }
                throw ControlPlaneError(
                    code: "ResourceNotFoundException", message: "Requested resource not found")
            }
        }
        let answer = try await inner.send(operation, body)
        if operation == "CreateTable" { describesSinceCreate.withLock { $0 = 0 } }
        return answer
    }
}

/// The fake, with DescribeTimeToLive saying ENABLING for the first two polls after each UpdateTimeToLive.
private final class TransitioningTimeToLive: ControlPlane {
    let inner: FakeDynamoDB
    let operations = Mutex<[String]>([])
    private let pollsLeft = Mutex(0)

    init(_ inner: FakeDynamoDB) { self.inner = inner }

    func send(_ operation: String, _ body: JSONValue) async throws -> JSONValue {
        operations.withLock { $0.append(operation) }
        let answer = try await inner.send(operation, body)
        if operation == "UpdateTimeToLive" { pollsLeft.withLock { $0 = 2 } }
        if operation == "DescribeTimeToLive",
            pollsLeft.withLock({ left in
                defer { left = max(0, left - 1) }
                return left > 0
            })
        {
            return ["TimeToLiveDescription": ["TimeToLiveStatus": "ENABLING", "AttributeName": "ttl"]]
        }
        return answer
    }
}

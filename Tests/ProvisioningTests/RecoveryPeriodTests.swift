import FakeDynamoDB
import JSON
import Provisioning
import Schema
import Testing

/// `point_in_time_recovery = { enabled = true, recovery_period_days = N }`: planned, requested and
/// applied (against the in-memory control plane here; against moto in RecoveryPeriodCommandTests).
@Suite struct RecoveryPeriodTests {
    static var schema: TableSchema {
        TableSchema(
            name: "audit", partitionKey: .string("id"), pointInTimeRecovery: true, recoveryPeriodDays: 7)
    }

    @Test func validationNamesThePeriodByItsPath() {
        var schema = Self.schema
        schema.recoveryPeriodDays = 36
        #expect(
            schema.validate() == [
                SchemaProblem(
                    path: "point_in_time_recovery.recovery_period_days",
                    message: "recovery period must be 1 to 35 days, got 36")
            ])
        schema.recoveryPeriodDays = 1
        schema.pointInTimeRecovery = false
        #expect(
            schema.validate().map(\.message) == ["a recovery period needs point-in-time recovery enabled"])
        for days in [1, 35] {
            schema.pointInTimeRecovery = true
            schema.recoveryPeriodDays = days
            #expect(schema.validate().isEmpty)
        }
    }

    @Test func theDocumentKeepsTheBooleanFormWithoutAPeriod() {
        #expect(
            Self.schema.schemaDocument()["point_in_time_recovery"]
                == ["enabled": true, "recovery_period_days": 7])
        var plain = Self.schema
        plain.recoveryPeriodDays = nil
        #expect(plain.schemaDocument()["point_in_time_recovery"] == true)
    }

    @Test func aNewTableGetsItsPeriodWithRecovery() {
        let plan = TableDiff.plan(Self.schema, live: nil)
        #expect(plan.steps.last == .updatePointInTimeRecovery(enabled: true, recoveryPeriodDays: 7))
        #expect(plan.steps.last?.summary == "enable point-in-time recovery (7 days)")
        let requests = StepRequests.requests(for: plan.steps[1], schema: Self.schema, arn: "")
        #expect(requests.map(\.operation) == ["UpdateContinuousBackups"])
        #expect(
            requests.first?.body == [
                "TableName": "audit",
                "PointInTimeRecoverySpecification": [
                    "PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 7,
                ],
            ])
    }

    @Test func aChangedPeriodIsOneStepAndNoPeriodLeavesTheLiveOne() {
        var live = liveTable(matching: Self.schema)
        live.recoveryPeriodDays = 35
        let plan = TableDiff.plan(Self.schema, live: live)
        #expect(plan.steps == [.updatePointInTimeRecovery(enabled: true, recoveryPeriodDays: 7, from: 35)])
        #expect(plan.steps.first?.summary == "point-in-time recovery period 35 -> 7 days")
        var unsaid = Self.schema
        unsaid.recoveryPeriodDays = nil
        #expect(TableDiff.plan(unsaid, live: live).steps.isEmpty)
        live.recoveryPeriodDays = 7
        #expect(TableDiff.plan(Self.schema, live: live).steps.isEmpty)
        var off = Self.schema
        off.pointInTimeRecovery = false
        off.recoveryPeriodDays = nil
        #expect(
            TableDiff.plan(off, live: live).steps == [.updatePointInTimeRecovery(enabled: false, from: 7)])
        #expect(
            StepRequests.requests(for: .updatePointInTimeRecovery(enabled: false), schema: off, arn: "")
                .first?.body
                == [
                    "TableName": "audit",
                    "PointInTimeRecoverySpecification": ["PointInTimeRecoveryEnabled": false],
                ])
    }

    @Test func readBackFromDescribeContinuousBackups() throws {
        let response = try JSONValue(
            parsing:
                #"{"Table": {"TableName": "t", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}}"#)
        let backups = try JSONValue(
            parsing: #"""
                {"ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED",
                 "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED", "RecoveryPeriodInDays": 12}}}
                """#)
        let live = try LiveTable(describeTable: response, continuousBackups: backups)
        #expect(live.recoveryPeriodDays == 12)
        #expect(live.schema.recoveryPeriodDays == 12)
        #expect(StatusReport.text(name: "t", live).contains("point-in-time recovery on (12 days)"))
        #expect(StatusReport.json(name: "t", live)["recovery_period_days"] == 12)
        var defaulted = live
        defaulted.recoveryPeriodDays = 35
        #expect(defaulted.schema.recoveryPeriodDays == nil && defaulted.schema.pointInTimeRecovery)
    }

    @Test func applyAddsChangesAndRemovesThePeriod() async throws {
        let fake = FakeDynamoDB(transitionPolls: 1)
        let provisioner = Provisioner(controlPlane: fake, waitPolicy: ApplyTests.fastWaits)
        var schema = Self.schema
        #expect(await provisioner.apply([schema]).first?.status == .created)
        #expect(await fake.tables["audit"]?.recoveryPeriodDays == 7)
        schema.recoveryPeriodDays = 30
        let changed = try #require(await provisioner.apply([schema]).first)
        #expect(changed.status == .updated)
        #expect(changed.steps == [.updatePointInTimeRecovery(enabled: true, recoveryPeriodDays: 30, from: 7)])
        #expect(await fake.tables["audit"]?.recoveryPeriodDays == 30)
        schema.pointInTimeRecovery = false
        schema.recoveryPeriodDays = nil
        #expect(await provisioner.apply([schema]).first?.status == .updated)
        #expect(await fake.tables["audit"]?.pitr == false)
        #expect(try await provisioner.plan([schema]).first?.get().isUpToDate == true)
    }
}

import FakeDynamoDB
import JSON
import Schema
import Testing

@testable import Provisioning

/// Every ``OperatedSetting`` descriptor in every form, alike: what a schema without the field means, the
/// document, validation, the creation plan (CreateTable without it, then its own step with its own
/// operation), a live table that has it (no step, its `status` line and JSON members, adoption that
/// plans nothing), `iam`, and apply against the in-memory control plane from a new table to the value
/// and back to what a new table has, read back each time.
@Suite struct OperatedSettingTests {
    static let policy =
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"dynamodb:GetItem","Resource":"*"}]}"#

    /// A value other than a new table's, for each setting.
    static let samples: [String: JSONValue] = [
        "point_in_time_recovery": ["enabled": true, "recovery_period_days": 7],
        "resource_policy": .string(policy),
    ]

    @Test func everySettingHasASample() {
        #expect(Set(Self.samples.keys) == Set(OperatedSetting.all.map(\.field)))
    }

    @Test(arguments: OperatedSetting.all.map(\.field))
    func oneDescriptionGivesEveryForm(field: String) throws {
        let setting = try #require(OperatedSetting.named(field))
        let sample = try #require(Self.samples[field])
        var schema = TableSchema(name: "audit", partitionKey: .string("id"))
        // Without the field: its absent value, in the document only when that decides something.
        #expect(setting.value(in: schema) == setting.absentValue)
        #expect(schema.schemaDocument()[field] == setting.absentValue.flatMap(setting.document))
        schema.operatedSettings[field] = sample
        #expect(schema.validate().isEmpty)
        #expect(schema.schemaDocument()[field] == setting.document(sample))

        // A new table: CreateTable does not carry it (apply writes it once the table is ACTIVE), then
        // its own step, whose requests are operations its IAM actions grant.
        let plan = TableDiff.creationPlan(schema)
        let step = try #require(plan.steps.first { $0.operatedSetting?.field == field })
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/audit"
        let requests = StepRequests.requests(for: step, schema: schema, arn: arn)
        #expect(!requests.isEmpty)
        for request in requests { #expect(setting.actions.contains("dynamodb:\(request.operation)")) }
        #expect(setting.actions.contains("dynamodb:\(setting.read.operation)"))
        let create = StepRequests.requests(for: plan.steps[0], schema: schema, arn: arn)
        if let member = setting.createTableMember {
            #expect(create.first?.body[member] == nil)
            #expect(schema.createTableRequest()[member] != nil)
        }
        #expect(!step.summary.isEmpty && step.kind != "" && ["+", "~", "-"].contains(step.symbol))

        // A live table that has it: nothing to do, shown by status, and adopted back as it is.
        var live = liveTable(matching: TableSchema(name: "audit", partitionKey: .string("id")))
        let state = OperatedSettingState(value: sample, revision: "r1")
        live.operatedSettings[field] = state
        #expect(!TableDiff.plan(schema, live: live).steps.contains { $0.operatedSetting != nil })
        let line = try #require(setting.statusLine(state))
        #expect(StatusReport.text(name: "audit", live).contains(line + "\n"))
        let json = StatusReport.json(name: "audit", live)
        for member in setting.statusJSON(state) { #expect(json[member.key] == member.value) }
        #expect(!TableDiff.plan(live.schema, live: live).steps.contains { $0.operatedSetting != nil })

        // iam grants its actions on the table.
        let statements = IAMPolicy(tables: [schema], region: "us-east-1", accountID: "123456789012").document
        let granted = (statements["Statement"]?.arrayValue ?? []).flatMap { statement in
            (statement["Action"]?.arrayValue ?? []).compactMap(\.stringValue)
        }
        for action in setting.actions { #expect(granted.contains(action), "\(action)") }
    }

    @Test(arguments: OperatedSetting.all.map(\.field))
    func appliedReadBackAndUndone(field: String) async throws {
        let setting = try #require(OperatedSetting.named(field))
        let sample = try #require(Self.samples[field])
        let fake = FakeDynamoDB(transitionPolls: 1)
        let provisioner = Provisioner(controlPlane: fake, waitPolicy: ApplyTests.fastWaits)
        var schema = TableSchema(name: "audit", partitionKey: .string("id"))
        schema.operatedSettings[field] = sample
        #expect(await provisioner.apply([schema]).first?.status == .created)
        let made = try #require(await provisioner.read("audit"))
        let state = try #require(made.operatedSettings[field])
        #expect(setting.isSatisfied(wanted: sample, live: state.value))
        #expect(await provisioner.apply([schema]).first?.status == .exists)

        schema.operatedSettings[field] = setting.noneValue
        #expect(await provisioner.apply([schema]).first?.status == .updated)
        let undone = try #require(await provisioner.read("audit"))
        #expect(undone.operatedSettings[field]?.value == setting.noneValue)
        #expect(await provisioner.apply([schema]).first?.status == .exists)
    }
}

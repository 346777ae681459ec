import JSON
import Schema
import Testing

@testable import Provisioning

/// What provisioning does with each ``TableSetting`` descriptor, for every descriptor alike: the plan
/// step its operation names, the UpdateTable that carries it, its status line and creation summary row,
/// and an unknown value reported by DescribeTable named rather than taken.
@Suite struct TableSettingStepTests {
    static func nonDefault(_ setting: TableSetting) -> JSONValue {
        let defaultValue = setting.value(in: TableSettings())
        switch setting.kind {
        case .boolean: return defaultValue == .bool(true) ? .bool(false) : .bool(true)
        case .keyword(let known): return .string(known.first { JSONValue.string($0) != defaultValue } ?? "")
        }
    }

    @Test(arguments: TableSetting.all.map(\.field))
    func aChangeIsPlannedAndSentAsItsOperationSays(field: String) throws {
        let setting = try #require(TableSetting.named(field))
        let value = Self.nonDefault(setting)
        var schema = TableSchema(name: "audit", partitionKey: .string("id"))
        let live = liveTable(matching: schema)
        setting.set(value, in: &schema.settings)
        let plan = TableDiff.plan(schema, live: live)
        #expect(plan.steps.count == 1)
        let step = try #require(plan.steps.first)
        let requests = StepRequests.requests(for: step, schema: schema, arn: live.arn)
        #expect(requests.count == 1)
        #expect(requests.first?.operation == "UpdateTable")
        #expect(requests.first?.body[setting.member] == value)
        switch setting.operation {
        case .sharedUpdate:
            #expect(step.kind == "update_settings")
        case .ownUpdate(let stepKind):
            #expect(step.kind == stepKind)
            // Alone in its UpdateTable: the table name and the member, nothing else.
            #expect(requests.first?.body.objectValue?.count == 2)
            #expect(step.summary.contains("->"))
        }
        #expect(step.summary.hasPrefix(setting.title))
    }

    @Test(arguments: TableSetting.all.map(\.field))
    func itHasAStatusLineAndACreationRow(field: String) throws {
        let setting = try #require(TableSetting.named(field))
        let value = Self.nonDefault(setting)
        var schema = TableSchema(name: "audit", partitionKey: .string("id"))
        setting.set(value, in: &schema.settings)
        let live = liveTable(matching: schema)
        let label =
            setting.statusLabel + String(repeating: " ", count: max(1, 12 - setting.statusLabel.count))
        #expect(StatusReport.text(name: "audit", live).contains("  \(label)\(setting.statusText(value))\n"))
        #expect(StatusReport.json(name: "audit", live)[field] == value)
        let details = PlanStep.createTable(schema).details
        #expect(details.contains { $0.hasPrefix(setting.title) && $0.hasSuffix(setting.describe(value)) })
    }

    @Test(
        arguments: TableSetting.all.filter { if case .keyword = $0.kind { true } else { false } }.map(\.field)
    )
    func anUnknownReportedKeywordIsNotManaged(field: String) throws {
        let setting = try #require(TableSetting.named(field))
        var table: JSONObject = [
            "TableName": "audit", "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]],
            "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
        ]
        let reported = setting.describedPath.dropFirst().reversed().reduce(JSONValue.string("SOMETHING_NEW"))
        {
            inner, member in .object(JSONObject([(member, inner)]))
        }
        table[setting.describedPath[0]] = reported
        let live = try LiveTable(describeTable: ["Table": .object(table)])
        #expect(live.unmanaged.map(\.path) == ["Table." + setting.describedPath.joined(separator: ".")])
    }
}

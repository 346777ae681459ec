import JSON
import Provisioning
import Schema
import Testing

/// Each ``ThroughputSetting`` descriptor drives every form of its setting, on the table and on a GSI:
/// validation, the schema document, CreateTable, DescribeTable's reading and its shape check, adoption,
/// the diff (a raise, a blocked decrease, a removal), the plan's words, the UpdateTable request, `status`
/// (text and JSON) and the creation summary. What each setting means is tested in its own suites
/// (WarmThroughputTests, OnDemandThroughputTests) and against moto.
@Suite struct ThroughputSettingTests {
    /// Units for every side of `setting`: `base`, `base + 1`, ...
    static func units(_ setting: ThroughputSetting, _ base: Int) -> ThroughputUnits {
        var units = ThroughputUnits()
        for (offset, side) in setting.sides.enumerated() { units[side.field] = base + offset }
        return units
    }

    /// An on-demand table with one GSI, the setting given on both.
    static func schema(_ setting: ThroughputSetting, table: Int, index: Int) -> TableSchema {
        var gsi = GlobalSecondaryIndex(name: "by-sku", partitionKey: .string("sku"))
        gsi.throughput[setting.field] = units(setting, index)
        var schema = TableSchema(
            name: "launch", partitionKey: .string("id"), globalSecondaryIndexes: [gsi],
            billingMode: setting.billing ?? .payPerRequest)
        schema.throughput[setting.field] = units(setting, table)
        return schema
    }

    /// The DescribeTable answer for a table made with `schema`'s CreateTable, all ACTIVE.
    static func described(_ schema: TableSchema) throws -> LiveTable {
        guard case .object(var table) = schema.createTableRequest() else { throw Unexpected() }
        table["TableStatus"] = "ACTIVE"
        table["BillingModeSummary"] = ["BillingMode": .string(schema.billingMode.rawValue)]
        table["BillingMode"] = nil
        if case .array(let indexes)? = table["GlobalSecondaryIndexes"] {
            table["GlobalSecondaryIndexes"] = .array(
                indexes.map { index in
                    guard case .object(var object) = index else { return index }
                    object["IndexStatus"] = "ACTIVE"
                    return .object(object)
                })
        }
        return try LiveTable(describeTable: ["Table": .object(table)])
    }

    struct Unexpected: Error {}

    @Test(arguments: ThroughputSetting.all.map(\.field))
    func oneDescriptionGivesEveryForm(field: String) throws {
        let setting = try #require(ThroughputSetting.named(field))
        let wanted = Self.schema(setting, table: 20000, index: 21000)
        let tableUnits = Self.units(setting, 20000)
        let indexUnits = Self.units(setting, 21000)
        #expect(wanted.validate().isEmpty, "\(wanted.validate())")

        // The document (the Lua value, `--format lua`) and CreateTable.
        let document = wanted.schemaDocument()
        #expect(document[field] == setting.document(tableUnits))
        #expect(document["gsis"]?[0]?[field] == setting.document(indexUnits))
        let request = wanted.createTableRequest()
        for (offset, side) in setting.sides.enumerated() {
            #expect(request[setting.member]?[side.member] == JSONValue(20000 + offset))
            #expect(
                request["GlobalSecondaryIndexes"]?[0]?[setting.member]?[side.member]
                    == JSONValue(21000 + offset))
        }

        // Read back from DynamoDB's description: managed, equal, adopted only when the setting says so.
        let live = try Self.described(wanted)
        #expect(live.unmanaged.isEmpty, "\(live.unmanaged)")
        #expect(live.throughput[field] == tableUnits)
        #expect(live.globalSecondaryIndexes.first?.index.throughput[field] == indexUnits)
        #expect(TableDiff.plan(wanted, live: live).isUpToDate)
        #expect(live.schema.throughput[field] == (setting.adopted ? tableUnits : nil))
        #expect(TableDiff.plan(live.schema, live: live).isUpToDate)

        // Status and the creation summary show both, in the words of the setting.
        let status = StatusReport.text(name: "launch", live)
        #expect(status.contains(setting.describe(tableUnits)), "\(status)")
        #expect(status.contains(setting.describe(indexUnits)), "\(status)")
        #expect(StatusReport.json(name: "launch", live)[field] == setting.document(tableUnits))
        let created = PlanStep.createTable(wanted).details.joined(separator: "\n")
        #expect(created.contains(setting.describe(tableUnits)), "\(created)")
        #expect(created.contains(setting.describe(indexUnits)), "\(created)")

        // A new index shows what it starts with in its step.
        var withNewIndex = wanted
        var newIndex = GlobalSecondaryIndex(name: "by-new", partitionKey: .string("n"))
        newIndex.throughput[field] = Self.units(setting, 22000)
        withNewIndex.globalSecondaryIndexes.append(newIndex)
        let creation = TableDiff.plan(withNewIndex, live: live).steps.map(\.summary).joined(separator: "\n")
        #expect(creation.contains(setting.describe(Self.units(setting, 22000))), "\(creation)")

        // A higher value is one settings step, the table's and the index's in one UpdateTable.
        let raised = Self.schema(setting, table: 30000, index: 31000)
        let plan = TableDiff.plan(raised, live: live)
        #expect(plan.blocked.isEmpty)
        guard case .updateSettings(let change)? = plan.steps.first, plan.steps.count == 1 else {
            Issue.record("expected one settings step: \(plan.steps)")
            return
        }
        #expect(change.throughput.map(\.index) == [nil, "by-sku"])
        #expect(plan.steps[0].summary.contains(setting.planTitle + " "), "\(plan.steps[0].summary)")
        let body = try #require(
            StepRequests.requests(for: plan.steps[0], schema: raised, arn: "").first?.body)
        #expect(body[setting.member]?[setting.sides[0].member] == 30000)
        #expect(
            body["GlobalSecondaryIndexUpdates"]?[0]?["Update"]?[setting.member]?[setting.sides[0].member]
                == 31000)

        // A lower value, and a value left out, as the change rule says.
        let lowered = Self.schema(setting, table: 10000, index: 11000)
        var unsaid = wanted
        unsaid.throughput[field] = nil
        unsaid.globalSecondaryIndexes[0].throughput[field] = nil
        switch setting.change {
        case .raiseOnly(let reason):
            let blocked = TableDiff.plan(lowered, live: live).blocked
            #expect(blocked.map(\.field).contains("\(field).\(setting.sides[0].field)"), "\(blocked)")
            #expect(blocked.map(\.field).contains("gsis[1].\(field).\(setting.sides[0].field)"), "\(blocked)")
            #expect(blocked.allSatisfy { $0.reason == reason })
            #expect(TableDiff.plan(unsaid, live: live).isUpToDate)
        case .exact(let noLimit):
            #expect(TableDiff.plan(lowered, live: live).blocked.isEmpty)
            let removal = TableDiff.plan(unsaid, live: live)
            let removed = try #require(
                removal.steps.first.flatMap {
                    StepRequests.requests(for: $0, schema: unsaid, arn: "").first?.body
                })
            for side in setting.sides { #expect(removed[setting.member]?[side.member] == JSONValue(noLimit)) }
        }
    }

    @Test(arguments: ThroughputSetting.all.map(\.field))
    func validationNamesEachMistakeByPath(field: String) throws {
        let setting = try #require(ThroughputSetting.named(field))
        var schema = Self.schema(setting, table: 20000, index: 21000)
        schema.throughput[field] = ThroughputUnits()
        schema.globalSecondaryIndexes[0].throughput[field]?[setting.sides[0].field] = 0
        let problems = schema.validate()
        #expect(problems.map(\.path).contains(field), "\(problems)")
        #expect(problems.map(\.path).contains("gsis[1].\(field).\(setting.sides[0].field)"), "\(problems)")
        if let billing = setting.billing {
            var other = Self.schema(setting, table: 20000, index: 21000)
            other.billingMode = billing == .payPerRequest ? .provisioned : .payPerRequest
            #expect(
                other.validate().contains { $0.path == field && $0.message.contains(billing.rawValue) },
                "\(other.validate())")
        }
    }
}

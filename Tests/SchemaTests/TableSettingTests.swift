import JSON
import Schema
import Testing

/// Each ``TableSetting`` descriptor drives every form of its setting: the schema document (and so the
/// Lua value and `--format lua`), validation, CreateTable, DescribeTable's reading and the change a plan
/// makes. What the rest of the tool shows for it (its plan step and request, status line, creation
/// summary) is tested for every descriptor in ProvisioningTests' TableSettingStepTests.
@Suite struct TableSettingTests {
    /// A value other than DynamoDB's default, for each kind.
    static func nonDefault(_ setting: TableSetting) -> JSONValue {
        let defaultValue = setting.value(in: TableSettings())
        switch setting.kind {
        case .boolean: return defaultValue == .bool(true) ? .bool(false) : .bool(true)
        case .keyword(let known): return .string(known.first { JSONValue.string($0) != defaultValue } ?? "")
        }
    }

    /// A DescribeTable `Table` reporting `value` where the setting says DynamoDB reports it.
    static func described(_ setting: TableSetting, _ value: JSONValue) -> JSONValue {
        setting.describedPath.reversed().reduce(value) { inner, member in
            .object(JSONObject([(member, inner)]))
        }
    }

    @Test(arguments: TableSetting.all.map(\.field))
    func oneDescriptionGivesEveryForm(field: String) throws {
        let setting = try #require(TableSetting.named(field))
        let value = Self.nonDefault(setting)
        var schema = TableSchema(name: "audit", partitionKey: .string("id"))
        let defaultValue = setting.value(in: schema.settings)
        // CreateTable leaves a default out, as DynamoDB's own default.
        #expect(schema.createTableRequest()[setting.member] == nil)
        #expect(schema.schemaDocument()[field] == defaultValue)
        setting.set(value, in: &schema.settings)
        #expect(schema.schemaDocument()[field] == value)
        #expect(schema.createTableRequest()[setting.member] == value)
        #expect(schema.validate().isEmpty)
        // DescribeTable's member is read where it is reported; a missing one is DynamoDB's default.
        #expect(setting.value(in: TableSettings(describedTable: Self.described(setting, value))) == value)
        #expect(setting.value(in: TableSettings(describedTable: ["TableName": "audit"])) == defaultValue)
        // A difference is one change, with the live value, said in words.
        let changes = schema.settings.changes(from: TableSettings())
        #expect(changes == [TableSettingChange(setting, value, from: defaultValue)])
        #expect(changes.first?.summary.hasPrefix(setting.title + " ") == true)
        #expect(changes.first?.summary.hasSuffix(setting.describe(value)) == true)
        #expect(TableSettings().changes(from: TableSettings()).isEmpty)
    }

    @Test(arguments: TableSetting.all.map(\.field))
    func theDocumentListsItAfterItsField(field: String) throws {
        let setting = try #require(TableSetting.named(field))
        // Every optional field given, so each setting's anchor is in the document.
        let document = TableSchema(name: "audit", partitionKey: .string("id"), stream: .keysOnly)
            .schemaDocument()
        let members = Array(try #require(document.objectValue)).map(\.0)
        let position = try #require(members.firstIndex(of: field))
        let anchor = try #require(members.firstIndex(of: setting.listedAfter))
        // Only settings listed after the same field come between it and this one.
        let between = members[(anchor + 1)..<position]
        #expect(anchor < position)
        #expect(
            between.allSatisfy { TableSetting.listed(after: setting.listedAfter).map(\.field).contains($0) })
    }

    @Test func aKeywordSettingRefusesAnUnknownValueAtItsField() {
        var schema = TableSchema(name: "audit", partitionKey: .string("id"))
        schema.tableClass = "INFREQUENT"
        #expect(
            schema.validate() == [
                SchemaProblem(
                    path: "table_class",
                    message:
                        "invalid table class 'INFREQUENT': must be STANDARD or STANDARD_INFREQUENT_ACCESS")
            ])
    }

    @Test func theSettingsAreDescribedAsDynamoDBNamesThem() {
        #expect(TableSetting.all.map(\.field) == ["deletion_protection", "table_class"])
        let protection = TableSetting.deletionProtection
        #expect(protection.member == "DeletionProtectionEnabled")
        #expect(protection.describe(.bool(true)) == "on")
        #expect(protection.operation == .sharedUpdate)
        let tableClass = TableSetting.tableClass
        #expect(tableClass.member == "TableClass")
        #expect(tableClass.describedPath == ["TableClassSummary", "TableClass"])
        #expect(tableClass.operation == .ownUpdate(stepKind: "update_table_class"))
        #expect(
            TableSettingChange(tableClass, "STANDARD_INFREQUENT_ACCESS", from: "STANDARD").summary
                == "table class STANDARD -> STANDARD_INFREQUENT_ACCESS")
    }
}

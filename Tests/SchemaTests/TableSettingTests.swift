import JSON
import Schema
import Testing

/// Each ``TableSetting`` descriptor drives every form of its setting: the schema document (and so the
/// Lua value and `--format lua`), CreateTable, DescribeTable's reading and the change plan and apply
/// make. What the rest of the tool shows for it is tested with the setting's own behaviour
/// (TableDiffTests, StatusReport in LiveTableTests, the CLI's plan output).
@Suite struct TableSettingTests {
    /// A value other than DynamoDB's default, for each kind.
    static func nonDefault(_ setting: TableSetting) -> JSONValue {
        switch setting.kind {
        case .boolean: setting.value(in: TableSettings()) == .bool(true) ? .bool(false) : .bool(true)
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
        // DescribeTable's member is read; a missing one is DynamoDB's default.
        #expect(setting.value(in: TableSettings(describedTable: [setting.member: value])) == value)
        #expect(setting.value(in: TableSettings(describedTable: ["TableName": "audit"])) == defaultValue)
        // A difference is one change, in the settings' UpdateTable, said in words.
        let changes = schema.settings.changes(from: TableSettings())
        #expect(changes == [TableSettingChange(setting, value)])
        #expect(changes.first?.summary == "\(setting.title) \(setting.describe(value))")
        #expect(TableSettings().changes(from: TableSettings()).isEmpty)
    }

    @Test func deletionProtectionIsDescribedAsDynamoDBNamesIt() {
        let setting = TableSetting.deletionProtection
        #expect(setting.field == "deletion_protection")
        #expect(setting.member == "DeletionProtectionEnabled")
        #expect(setting.describe(.bool(true)) == "on")
        #expect(TableSetting.all.map(\.field) == ["deletion_protection"])
    }
}

import JSON

/// A table-level setting described once: its Lua field (also its schema-document, `--format lua` and
/// `status --json` member), how a script gives it, the one DynamoDB member that CreateTable,
/// UpdateTable and DescribeTable's `Table` name it by, and the words plan, status and the creation
/// summary use. The Lua reader, the schema document, CreateTable, the live table's reading, the diff,
/// the UpdateTable request and the reports go through ``all`` instead of naming each setting, so a new
/// setting of this kind is a stored value in ``TableSettings`` and a descriptor here.
///
/// Only settings that fit that shape belong here: DynamoDB sets them in the one UpdateTable that also
/// carries billing, capacity and stream (``TableDiff``'s order), with no waiting or rules of their own.
/// Settings with their own operation or rules (TTL, point-in-time recovery, the resource policy, warm
/// throughput) keep their own code, where their ordering stays visible.
public struct TableSetting: Sendable {
    /// The Lua type a script gives the value as.
    public enum Kind: Sendable {
        case boolean
    }

    /// The Lua field and document member: `deletion_protection`.
    public let field: String
    public let kind: Kind
    /// The setting in words: `deletion protection`.
    public let title: String
    /// The label of its line in `status`: `protection`.
    public let statusLabel: String
    /// The member CreateTable, UpdateTable and DescribeTable's `Table` use: `DeletionProtectionEnabled`.
    public let member: String
    /// The value's JSON form (as the document and DynamoDB write it).
    private let jsonValue: @Sendable (TableSettings) -> JSONValue
    /// Sets the value from its JSON form; a value of another kind is ignored (the caller reports it).
    private let setJSONValue: @Sendable (inout TableSettings, JSONValue) -> Void
    /// The value in words: `on`.
    private let words: @Sendable (JSONValue) -> String

    /// The settings, in the order documents, requests and reports list them.
    public static let all: [TableSetting] = [deletionProtection]

    /// `deletion_protection`: DeleteTable is refused while it is on.
    public static let deletionProtection = TableSetting.boolean(
        field: "deletion_protection", title: "deletion protection", statusLabel: "protection",
        member: "DeletionProtectionEnabled", \.deletionProtection)

    /// The setting whose Lua field is `field`.
    public static func named(_ field: String) -> TableSetting? {
        all.first { $0.field == field }
    }

    /// The value in `settings`, as JSON.
    public func value(in settings: TableSettings) -> JSONValue {
        jsonValue(settings)
    }

    /// `settings` with the value set from JSON.
    public func set(_ value: JSONValue, in settings: inout TableSettings) {
        setJSONValue(&settings, value)
    }

    /// The value in words: `on`, `off`.
    public func describe(_ value: JSONValue) -> String {
        words(value)
    }

    /// The value DescribeTable's `Table` reports; DynamoDB's default when the member is missing.
    public func describedValue(in table: JSONValue?) -> JSONValue {
        switch (kind, table?[member]) {
        case (.boolean, .bool(let flag)?): .bool(flag)
        case (.boolean, _): jsonValue(TableSettings())
        }
    }

    private static func boolean(
        field: String, title: String, statusLabel: String, member: String,
        _ keyPath: WritableKeyPath<TableSettings, Bool> & Sendable
    ) -> TableSetting {
        TableSetting(
            field: field, kind: .boolean, title: title, statusLabel: statusLabel, member: member,
            jsonValue: { .bool($0[keyPath: keyPath]) },
            setJSONValue: { settings, value in
                if case .bool(let flag) = value { settings[keyPath: keyPath] = flag }
            },
            words: { $0 == .bool(true) ? "on" : "off" })
    }
}

extension TableSettings {
    /// The settings a DescribeTable `Table` reports.
    public init(describedTable table: JSONValue?) {
        self.init()
        for setting in TableSetting.all {
            setting.set(setting.describedValue(in: table), in: &self)
        }
    }

    /// The CreateTable members for the settings that differ from DynamoDB's defaults (a table created
    /// without them has the defaults), in ``TableSetting/all``'s order.
    public var createTableMembers: [(member: String, value: JSONValue)] {
        let defaults = TableSettings()
        return TableSetting.all.compactMap { setting in
            let value = setting.value(in: self)
            return value == setting.value(in: defaults) ? nil : (setting.member, value)
        }
    }

    /// The settings whose value differs from `live`'s, with this schema's value.
    public func changes(from live: TableSettings) -> [TableSettingChange] {
        TableSetting.all.compactMap { setting in
            let wanted = setting.value(in: self)
            return wanted == setting.value(in: live)
                ? nil : TableSettingChange(field: setting.field, value: wanted)
        }
    }
}

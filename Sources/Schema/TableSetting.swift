import JSON

/// A table-level setting described once: its Lua field (also its schema-document, `--format lua` and
/// `status --json` member), how a script gives it and what values are valid, the member CreateTable and
/// UpdateTable name it by and where DescribeTable's `Table` reports it, which UpdateTable carries its
/// change (``Operation``), where listings show it, and the words plan, status and the creation summary
/// use. The Lua reader, validation, the schema document, CreateTable, the live table's reading and its
/// shape check, the diff, the plan step, the UpdateTable request and the reports go through ``all``
/// instead of naming each setting.
///
/// A new setting of this kind touches two files: its stored value in ``TableSettings`` and its
/// descriptor here (three with a new keyword type, such as ``TableClass``). Where its change goes in a
/// plan is ``Operation``, and the order of every step is one table, in `TableDiff`.
///
/// Per-second unit counts given on the table and each GSI (warm and on-demand throughput) are described
/// the same way by ``ThroughputSetting``, and settings read and changed with operations of their own
/// (point-in-time recovery, the resource policy) by ``OperatedSetting``. TTL (two steps an hour apart)
/// and the settings with rules of their own (encryption, stream) keep their own code.
public struct TableSetting: Sendable {
    /// The Lua type a script gives the value as, and the values DynamoDB accepts.
    public enum Kind: Sendable, Equatable {
        case boolean
        /// A DynamoDB keyword (``SchemaKeyword``): one of `known`.
        case keyword(known: [String])
    }

    /// Which UpdateTable carries a change of the setting.
    public enum Operation: Sendable, Equatable {
        /// The one UpdateTable that also carries billing, capacity, on-demand and warm throughput and the
        /// stream (`TableDiff`'s settings step).
        case sharedUpdate
        /// An UpdateTable of its own, before the shared one, because DynamoDB refuses the member with any
        /// other change ("table class ... cannot be updated with other parameters"); `stepKind` names
        /// the step in `--json` plans (`update_table_class`).
        case ownUpdate(stepKind: String)
    }

    /// The Lua field and document member: `deletion_protection`.
    public let field: String
    public let kind: Kind
    /// The setting in words: `deletion protection`.
    public let title: String
    /// The label of its line in `status`: `protection`.
    public let statusLabel: String
    /// The member CreateTable and UpdateTable take: `DeletionProtectionEnabled`, `TableClass`.
    public let member: String
    /// Where DescribeTable's `Table` reports it: `["DeletionProtectionEnabled"]`,
    /// `["TableClassSummary", "TableClass"]`.
    public let describedPath: [String]
    /// Other members of the described object (the path's first element) that report history, not the
    /// setting: `LastUpdateDateTime`.
    public let describedHistory: [String]
    public let operation: Operation
    /// The Lua field it is listed after, in the Lua API's order: in the schema document, `status` and the
    /// creation summary alike.
    public let listedAfter: String
    /// Whether `status` prefixes the value with ``title`` (`deletion protection on`) or shows the value
    /// alone (`STANDARD`).
    private let statusShowsTitle: Bool
    /// The value's JSON form (as the document and DynamoDB write it).
    private let jsonValue: @Sendable (TableSettings) -> JSONValue
    /// Sets the value from its JSON form; a value of another kind is ignored (the caller reports it).
    private let setJSONValue: @Sendable (inout TableSettings, JSONValue) -> Void

    /// The settings, in the order documents, requests and reports list those listed after one field.
    public static let all: [TableSetting] = [deletionProtection, tableClass]

    /// `deletion_protection`: DeleteTable is refused while it is on.
    public static let deletionProtection = TableSetting(
        field: "deletion_protection", kind: .boolean, title: "deletion protection", statusLabel: "protection",
        member: "DeletionProtectionEnabled", describedPath: ["DeletionProtectionEnabled"],
        describedHistory: [],
        operation: .sharedUpdate, listedAfter: "encryption", statusShowsTitle: true,
        jsonValue: { .bool($0.deletionProtection) },
        setJSONValue: { settings, value in
            if case .bool(let flag) = value { settings.deletionProtection = flag }
        })

    /// `table_class`: the storage class. DynamoDB takes it alone in an UpdateTable.
    public static let tableClass = TableSetting(
        field: "table_class", kind: .keyword(known: TableClass.allKnown.map(\.rawValue)),
        title: "table class",
        statusLabel: "class", member: "TableClass", describedPath: ["TableClassSummary", "TableClass"],
        describedHistory: ["LastUpdateDateTime"], operation: .ownUpdate(stepKind: "update_table_class"),
        listedAfter: "stream", statusShowsTitle: false,
        jsonValue: { .string($0.tableClass.rawValue) },
        setJSONValue: { settings, value in
            if case .string(let text) = value { settings.tableClass = TableClass(rawValue: text) }
        })

    /// The setting whose Lua field is `field`.
    public static func named(_ field: String) -> TableSetting? {
        all.first { $0.field == field }
    }

    /// The settings listed right after the Lua field `field`, in ``all``'s order.
    public static func listed(after field: String) -> [TableSetting] {
        all.filter { $0.listedAfter == field }
    }

    /// The value in `settings`, as JSON.
    public func value(in settings: TableSettings) -> JSONValue {
        jsonValue(settings)
    }

    /// `settings` with the value set from JSON.
    public func set(_ value: JSONValue, in settings: inout TableSettings) {
        setJSONValue(&settings, value)
    }

    /// The value in words: `on`, `off`, `STANDARD`.
    public func describe(_ value: JSONValue) -> String {
        switch (kind, value) {
        case (.boolean, .bool(let flag)): flag ? "on" : "off"
        case (_, .string(let text)): text
        default: "\(value)"
        }
    }

    /// The value as its `status` line shows it: `deletion protection on`, `STANDARD`.
    public func statusText(_ value: JSONValue) -> String {
        statusShowsTitle ? "\(title) \(describe(value))" : describe(value)
    }

    /// Why `value` is not one DynamoDB accepts, or nil when it is (validation reports it at ``field``).
    public func problem(with value: JSONValue) -> String? {
        guard case .keyword(let known) = kind, case .string(let text) = value, !known.contains(text) else {
            return nil
        }
        let list =
            known.count > 1
            ? known.dropLast().joined(separator: ", ") + " or " + (known.last ?? "") : known.joined()
        return "invalid \(title) '\(text)': must be \(list)"
    }

    /// The value DescribeTable's `Table` reports; DynamoDB's default when it reports none.
    public func describedValue(in table: JSONValue?) -> JSONValue {
        var reported = table
        for member in describedPath { reported = reported?[member] }
        switch (kind, reported) {
        case (.boolean, .bool(let flag)?): return .bool(flag)
        case (.keyword, .string(let text)?): return .string(text)
        default: return jsonValue(TableSettings())
        }
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

    /// The settings whose value differs from `live`'s, with this schema's value and the live one.
    public func changes(from live: TableSettings) -> [TableSettingChange] {
        TableSetting.all.compactMap { setting in
            let wanted = setting.value(in: self)
            let current = setting.value(in: live)
            return wanted == current
                ? nil : TableSettingChange(field: setting.field, value: wanted, from: current)
        }
    }
}

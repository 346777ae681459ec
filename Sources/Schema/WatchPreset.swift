/// How `watch` shows the changes of one of Sentinel's tables: the attributes that say what a change
/// was about, shown on every line whether they changed or not, and whether new records deserve the
/// eye (a break-glass event is someone bypassing approval: "who just broke glass?").
public struct WatchPreset: Sendable, Equatable {
    /// The built-in table this preset is for.
    public var kind: BuiltInSchema
    /// Attributes shown on every line of a change, in this order, when the item has them.
    public var summaryAttributes: [String]
    /// Whether an INSERT (a new record) is highlighted.
    public var highlightsInserts: Bool
    /// The word a highlighted line starts with.
    public var label: String

    /// The preset of each built-in table.
    public static func of(_ kind: BuiltInSchema) -> WatchPreset {
        switch kind {
        case .approvals:
            WatchPreset(
                kind: kind, summaryAttributes: ["requester", "profile", "status"], highlightsInserts: false,
                label: "REQUEST")
        case .breakglass:
            WatchPreset(
                kind: kind,
                summaryAttributes: ["invoker", "profile", "status", "reason_code", "justification"],
                highlightsInserts: true, label: "BREAK-GLASS")
        case .sessions:
            WatchPreset(
                kind: kind, summaryAttributes: ["user", "profile", "status", "server_instance_id"],
                highlightsInserts: false, label: "SESSION")
        }
    }

    /// The built-in table a live table is, judged by the index only that built-in has
    /// (`gsi-invoker`, `gsi-requester`, `gsi-user` or `gsi-server-instance`), else by its name
    /// starting with a default table name; nil for any other table.
    public static func detect(tableName: String, indexNames: [String]) -> WatchPreset? {
        let distinctive: [(String, BuiltInSchema)] = [
            ("gsi-invoker", .breakglass), ("gsi-requester", .approvals), ("gsi-server-instance", .sessions),
            ("gsi-user", .sessions),
        ]
        for (index, kind) in distinctive where indexNames.contains(index) {
            return of(kind)
        }
        for kind in BuiltInSchema.allCases where tableName.hasPrefix(kind.defaultTableName) {
            return of(kind)
        }
        return nil
    }
}

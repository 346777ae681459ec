import JSON

/// One ``TableSetting`` to set to `value` (its JSON form), in the settings' UpdateTable.
public struct TableSettingChange: Sendable, Equatable {
    public var field: String
    public var value: JSONValue

    public init(field: String, value: JSONValue) {
        self.field = field
        self.value = value
    }

    /// The setting changed (nil only for a field no descriptor has).
    public var setting: TableSetting? {
        TableSetting.named(field)
    }

    /// A change of `setting` to `value`.
    public init(_ setting: TableSetting, _ value: JSONValue) {
        self.init(field: setting.field, value: value)
    }

    /// `deletion protection on`.
    public var summary: String {
        guard let setting else { return "\(field) -> \(value)" }
        return "\(setting.title) \(setting.describe(value))"
    }
}

import JSON

/// One ``TableSetting`` to set to `value` (its JSON form), from the live `from`.
public struct TableSettingChange: Sendable, Equatable {
    public var field: String
    public var value: JSONValue
    /// The live value, when known (a plan shows `STANDARD -> STANDARD_INFREQUENT_ACCESS`).
    public var from: JSONValue?

    public init(field: String, value: JSONValue, from: JSONValue? = nil) {
        self.field = field
        self.value = value
        self.from = from
    }

    /// The setting changed (nil only for a field no descriptor has).
    public var setting: TableSetting? {
        TableSetting.named(field)
    }

    /// A change of `setting` to `value`.
    public init(_ setting: TableSetting, _ value: JSONValue, from: JSONValue? = nil) {
        self.init(field: setting.field, value: value, from: from)
    }

    /// `deletion protection on`, or with the live value for a setting changed in its own step
    /// (`table class STANDARD -> STANDARD_INFREQUENT_ACCESS`).
    public var summary: String {
        guard let setting else { return "\(field) -> \(value)" }
        if case .ownUpdate = setting.operation, let from {
            return "\(setting.title) \(setting.describe(from)) -> \(setting.describe(value))"
        }
        return "\(setting.title) \(setting.describe(value))"
    }
}

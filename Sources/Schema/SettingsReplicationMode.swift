/// Whether a table's settings are replicated to replicas in other accounts
/// (`settings_replication`, DynamoDB's `GlobalTableSettingsReplicationMode`): a multi-account global
/// table's source has it `ENABLED`.
///
/// DynamoDB's words (UpdateTable): "ENABLED: Defines settings replication on a regional table to be used
/// as a source table for creating Multi-Account Global Table. DISABLED: Remove settings replication on a
/// regional table." and (CreateTable) "For multi-account global tables, this parameter is required and
/// the only supported value is ENABLED." A same-account global table reports `ENABLED_WITH_OVERRIDES`,
/// which a schema never asks for.
public struct SettingsReplicationMode: SchemaKeyword {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let enabled = SettingsReplicationMode(rawValue: "ENABLED")
    public static let disabled = SettingsReplicationMode(rawValue: "DISABLED")
    /// What DynamoDB reports for a same-account global table: never asked for by a schema.
    public static let enabledWithOverrides = SettingsReplicationMode(rawValue: "ENABLED_WITH_OVERRIDES")

    public static let allKnown: [SettingsReplicationMode] = [.enabled, .disabled]
}

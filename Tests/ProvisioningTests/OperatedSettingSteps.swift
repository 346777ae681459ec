import JSON
import Provisioning
import Schema

/// The steps of the two operated settings, built as the diff builds them, so that tests can name the
/// step they expect (`.updatePointInTimeRecovery(enabled: true, recoveryPeriodDays: 7)`).
extension PlanStep {
    /// Point-in-time recovery to `enabled` (with `recoveryPeriodDays`), from recovery on with the
    /// period `from`, or else from the opposite of `enabled`.
    static func updatePointInTimeRecovery(enabled: Bool, recoveryPeriodDays: Int? = nil, from: Int? = nil)
        -> PlanStep
    {
        func value(_ enabled: Bool, _ days: Int?) -> JSONValue {
            days.map { ["enabled": .bool(enabled), "recovery_period_days": JSONValue($0)] } ?? .bool(enabled)
        }
        let live = from.map { value(true, $0) } ?? .bool(!enabled)
        return .updateOperatedSetting(
            OperatedSettingChange(
                field: "point_in_time_recovery", wanted: value(enabled, recoveryPeriodDays),
                live: OperatedSettingState(value: live)))
    }

    /// The policy `text` put on a table with no policy, or replacing `live` read at `revision`.
    static func putResourcePolicy(_ text: String, replacing live: String? = nil, revision: String? = nil)
        -> PlanStep
    {
        .updateOperatedSetting(
            OperatedSettingChange(
                field: "resource_policy", wanted: .string(text),
                live: OperatedSettingState(value: live.map(JSONValue.string) ?? false, revision: revision)))
    }

    /// The policy `live`, read at `revision`, deleted.
    static func deleteResourcePolicy(_ live: String, revision: String?) -> PlanStep {
        .updateOperatedSetting(
            OperatedSettingChange(
                field: "resource_policy", wanted: false,
                live: OperatedSettingState(value: .string(live), revision: revision)))
    }
}

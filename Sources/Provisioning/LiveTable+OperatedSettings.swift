import JSON
import Schema

/// Typed views of the live table's ``OperatedSetting``s, for Swift callers: the tool itself goes
/// through ``LiveTable/operatedSettings`` and the descriptors.
extension LiveTable {
    /// Whether point-in-time recovery is on (DescribeContinuousBackups).
    public var pointInTimeRecovery: Bool {
        get { recovery.boolValue ?? recovery["enabled"]?.boolValue ?? false }
        set { setRecovery(enabled: newValue, days: recoveryPeriodDays) }
    }

    /// `RecoveryPeriodInDays` as DescribeContinuousBackups reports it while recovery is on.
    public var recoveryPeriodDays: Int? {
        get { recovery["recovery_period_days"]?.intValue }
        set { setRecovery(enabled: pointInTimeRecovery, days: newValue) }
    }

    /// The resource-based policy GetResourcePolicy returns, as DynamoDB stores the text; nil for none.
    public var resourcePolicy: String? {
        get { policy.value.stringValue }
        set { policy.value = newValue.map(JSONValue.string) ?? false }
    }

    /// The policy's `RevisionId`, sent back as `ExpectedRevisionId` when the policy is replaced or deleted.
    public var resourcePolicyRevision: String? {
        get { policy.revision }
        set { policy.revision = newValue }
    }

    /// Why the policy could not be read (GetResourcePolicy refused: AccessDeniedException), nil when it
    /// was; ``resourcePolicy`` then says nothing about the table.
    public var resourcePolicyReadError: String? {
        get { policy.readError }
        set { policy.readError = newValue }
    }

    private var recovery: JSONValue {
        operatedSettings[OperatedSetting.pointInTimeRecovery.field]?.value ?? false
    }

    private mutating func setRecovery(enabled: Bool, days: Int?) {
        let value: JSONValue =
            enabled && days != nil
            ? ["enabled": true, "recovery_period_days": JSONValue(days ?? 0)] : .bool(enabled)
        operatedSettings[OperatedSetting.pointInTimeRecovery.field] = OperatedSettingState(value: value)
    }

    private var policy: OperatedSettingState {
        get {
            operatedSettings[OperatedSetting.resourcePolicy.field]
                ?? OperatedSettingState(value: OperatedSetting.resourcePolicy.noneValue)
        }
        set { operatedSettings[OperatedSetting.resourcePolicy.field] = newValue }
    }
}

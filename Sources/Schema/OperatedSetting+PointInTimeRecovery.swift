import JSON

extension OperatedSetting {
    /// `point_in_time_recovery = true`, or `{ enabled = true, recovery_period_days = 7 }`: continuous
    /// backups, read with DescribeContinuousBackups and set with UpdateContinuousBackups. Off unless the
    /// schema says so, so a schema always decides it. Stored as the boolean unless a period is given.
    ///
    /// "Continuous backups are ENABLED on all tables at table creation." Until they are,
    /// UpdateContinuousBackups fails with ContinuousBackupsUnavailableException ("Backups have not yet
    /// been enabled for this table."), which a new table meets for a while after it turns ACTIVE: apply
    /// waits until DescribeContinuousBackups says `ContinuousBackupsStatus` is `ENABLED`, and retries
    /// that error.
    public static let pointInTimeRecovery = OperatedSetting(
        field: "point_in_time_recovery", title: "point-in-time recovery", statusLabel: "recovery",
        listedAfter: "encryption",
        scriptForm: .flagOrFields(flag: "enabled", integers: [RecoveryValue.daysField]),
        absentValue: .bool(false), noneValue: .bool(false),
        read: Read(
            operation: "DescribeContinuousBackups", address: .tableName, noneCode: nil, mayBeRefused: false),
        actions: ["dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups"],
        permission: .withProvisioning, placement: .withOwnOperations,
        readiness: Readiness(
            pending: { answer in
                let status =
                    answer["ContinuousBackupsDescription"]?["ContinuousBackupsStatus"]?.stringValue
                    ?? "ENABLED"
                return status == "ENABLED" ? nil : "continuous backups \(status) -> ENABLED"
            },
            retriedCode: "ContinuousBackupsUnavailableException",
            retryReason: "continuous backups are still being enabled (ContinuousBackupsUnavailableException)"),
        waitsUntilRead: false, staleRevisionCode: nil, createTableMember: nil,
        problems: { value in
            let recovery = RecoveryValue(value)
            guard let days = recovery.days else { return [] }
            let path = "point_in_time_recovery.\(RecoveryValue.daysField)"
            var problems: [(path: String, message: String)] = []
            if !recovery.enabled {
                problems.append((path, "a recovery period needs point-in-time recovery enabled"))
            }
            if !DynamoDBLimits.recoveryPeriodDays.contains(days) {
                problems.append((path, "recovery period must be 1 to 35 days, got \(days)"))
            }
            return problems
        },
        // The boolean form unless a recovery period is given, so documents without one stay as they were.
        documentForm: { RecoveryValue($0).json },
        liveForm: { answer in
            let description = answer?["ContinuousBackupsDescription"]?["PointInTimeRecoveryDescription"]
            let enabled = description?["PointInTimeRecoveryStatus"]?.stringValue == "ENABLED"
            let days = enabled ? description?["RecoveryPeriodInDays"]?.intValue : nil
            return OperatedSettingState(value: RecoveryValue(enabled: enabled, days: days).json)
        },
        // A schema without a period leaves DynamoDB's as it is.
        satisfies: { wanted, live in
            let (wanted, live) = (RecoveryValue(wanted), RecoveryValue(live))
            guard wanted.enabled else { return !live.enabled }
            return live.enabled && (wanted.days == nil || wanted.days == live.days)
        },
        writeRequests: { change, name, _ in
            let wanted = RecoveryValue(change.wanted)
            var specification: JSONObject = ["PointInTimeRecoveryEnabled": .bool(wanted.enabled)]
            if wanted.enabled, let days = wanted.days {
                specification["RecoveryPeriodInDays"] = JSONValue(days)
            }
            return [
                (
                    "UpdateContinuousBackups",
                    ["TableName": .string(name), "PointInTimeRecoverySpecification": .object(specification)]
                )
            ]
        },
        stepWords: { change in
            let (wanted, live) = (RecoveryValue(change.wanted), RecoveryValue(change.live.value))
            let summary: String
            switch (wanted.enabled, wanted.days, live.enabled ? live.days : nil) {
            case (true, let days?, let previous?):
                summary = "point-in-time recovery period \(previous) -> \(days) days"
            case (true, let days?, nil): summary = "enable point-in-time recovery (\(days) days)"
            case (true, nil, _): summary = "enable point-in-time recovery"
            case (false, _, _): summary = "disable point-in-time recovery"
            }
            return (summary, "~", "update_point_in_time_recovery")
        },
        // DynamoDB's default period is left unsaid, so a table that never chose one reads back as
        // `point_in_time_recovery = true`.
        adoptedForm: { live in
            let recovery = RecoveryValue(live)
            return RecoveryValue(
                enabled: recovery.enabled,
                days: recovery.days == RecoveryValue.defaultDays ? nil : recovery.days
            ).json
        },
        statusMembers: { live in
            let recovery = RecoveryValue(live.value)
            var members: [(key: String, value: JSONValue)] = [
                ("point_in_time_recovery", .bool(recovery.enabled))
            ]
            if let days = recovery.days { members.append(("recovery_period_days", JSONValue(days))) }
            return members
        },
        statusWords: { live in
            let recovery = RecoveryValue(live.value)
            let period = recovery.days.map { " (\($0) days)" } ?? ""
            return "point-in-time recovery \(recovery.enabled ? "on" + period : "off")"
        },
        creationWords: { value in
            let recovery = RecoveryValue(value)
            return (recovery.enabled ? "on" : "off") + (recovery.days.map { ", \($0) days" } ?? "")
        })
}

/// Point-in-time recovery's value: on or off, and the recovery period when one is given.
struct RecoveryValue {
    static let daysField = "recovery_period_days"
    /// The period DynamoDB keeps when none is given ("the default is 35 days").
    static let defaultDays = 35

    var enabled: Bool
    var days: Int?

    init(enabled: Bool, days: Int?) {
        self.enabled = enabled
        self.days = days
    }

    /// From the boolean or `{ enabled, recovery_period_days }` form.
    init(_ value: JSONValue) {
        enabled = value.boolValue ?? value["enabled"]?.boolValue ?? false
        days = value[Self.daysField]?.intValue
    }

    var json: JSONValue {
        guard let days else { return .bool(enabled) }
        return ["enabled": .bool(enabled), .init(Self.daysField): JSONValue(days)]
    }
}

extension TableSchema {
    /// Whether continuous backups are on (`point_in_time_recovery`). Not part of CreateTable: set with
    /// UpdateContinuousBackups (``OperatedSetting/pointInTimeRecovery``).
    public var pointInTimeRecovery: Bool {
        get { RecoveryValue(OperatedSetting.pointInTimeRecovery.value(in: self) ?? false).enabled }
        set { setRecovery(RecoveryValue(enabled: newValue, days: recoveryPeriodDays)) }
    }

    /// How many days back point-in-time recovery can restore (`point_in_time_recovery =
    /// { recovery_period_days = 7 }`): 1 to 35. Nil leaves DynamoDB's (35 for a new table, the live one
    /// for a table that never set one) as it is. Only with ``pointInTimeRecovery`` on.
    public var recoveryPeriodDays: Int? {
        get { RecoveryValue(OperatedSetting.pointInTimeRecovery.value(in: self) ?? false).days }
        set { setRecovery(RecoveryValue(enabled: pointInTimeRecovery, days: newValue)) }
    }

    private mutating func setRecovery(_ value: RecoveryValue) {
        operatedSettings[OperatedSetting.pointInTimeRecovery.field] = value.json
    }
}

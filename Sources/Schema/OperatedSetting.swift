import JSON

/// A table setting DynamoDB reads and writes with operations of its own, not with CreateTable,
/// DescribeTable and UpdateTable: point-in-time recovery (Describe/UpdateContinuousBackups), the
/// resource policy (Get/Put/DeleteResourcePolicy). Described once: how a script gives it, what is valid,
/// how it is read and what a read that fails means, when two values are the same, the requests that
/// change it, what must be true before they are sent and what to wait for after, where its step goes in
/// a plan, its words in plan, `status` and the creation summary, what `schema --from-table` writes back,
/// and the IAM actions it needs. The Lua reader, validation, the schema document, the live table's
/// reading, the diff, the plan step, apply's waits and retries, the reports and `iam` go through
/// ``all`` instead of naming each setting.
///
/// Values are JSON, in the schema document's form, so that `Schema` does no I/O and knows no Lua: a
/// schema stores its value by field (``TableSchema/operatedSettings``), a live table its
/// ``OperatedSettingState``. A new setting of this kind is two files: an extension that declares its
/// descriptor, and its place in ``all``.
public struct OperatedSetting: Sendable {
    /// How a script gives the value; the Lua reader turns each form into the JSON the descriptor takes.
    public enum ScriptForm: Sendable, Equatable {
        /// `true`/`false`, or a table of these fields (`{ enabled = true, recovery_period_days = 7 }`):
        /// a JSON object with `flag` (true when the table leaves it out) and the integer fields.
        case flagOrFields(flag: String, integers: [String])
        /// A JSON document given as text or as a Lua table, or `false` for none: `.string` holding the
        /// text (a table written as compact JSON, members sorted), `.bool(false)`.
        case documentOrFalse
    }

    /// What a read request names the table by.
    public enum Address: Sendable, Equatable {
        case tableName
        case tableARN
    }

    /// Where the setting's step goes in a plan: one of the rows of `TableDiff`'s order table.
    public enum Placement: Sendable, Equatable {
        /// Row 8: with the other settings changed by operations of their own (TTL, tags).
        case withOwnOperations
        /// Row 9: after every other step, so that what it says cannot block them (a policy that
        /// restricts the caller).
        case last
    }

    /// Which statement of `iam`'s policy grants its actions.
    public enum Permission: Sendable, Equatable {
        /// The provisioning statement, for every table: every plan reads the setting.
        case withProvisioning
        /// A statement of its own, on the tables whose schema gives the setting: only those read it.
        case ownStatement(sid: String)
    }

    /// How the setting is read.
    public struct Read: Sendable {
        /// `DescribeContinuousBackups`.
        public let operation: String
        public let address: Address
        /// The error code that answers "none" (`PolicyNotFoundException`): the value is then
        /// ``OperatedSetting/noneValue``.
        public let noneCode: String?
        /// Whether callers who may converge a table are often not allowed to read the setting
        /// (`AccessDeniedException`): the live value is then unknown, noted rather than an error, and
        /// the setting is only read when the schema gives it.
        public let mayBeRefused: Bool
    }

    /// What must be true before a write is sent, and the refusal that means "not yet".
    public struct Readiness: Sendable {
        /// What a read answer says is still pending, in progress lines (`continuous backups ENABLING ->
        /// ENABLED`); nil when a write may be sent.
        public let pending: @Sendable (JSONValue) -> String?
        /// The write's error code that means the same, retried with a pause.
        public let retriedCode: String
        /// Why a retry waits, in progress lines.
        public let retryReason: String
    }

    /// The Lua field and document member: `point_in_time_recovery`.
    public let field: String
    /// The setting in words: `point-in-time recovery`.
    public let title: String
    /// The label of its `status` line: `recovery`.
    public let statusLabel: String
    /// The Lua field it is listed after in the Lua API's order: in the schema document, `status` and
    /// the creation summary alike (after the ``TableSetting``s listed after the same field).
    public let listedAfter: String
    public let scriptForm: ScriptForm
    /// What a schema without the field means: `false` (off; the schema decides it always), or nil (the
    /// live value is left alone, whatever it is).
    public let absentValue: JSONValue?
    /// The live value of a table that has none: what a new table starts with.
    public let noneValue: JSONValue
    public let read: Read
    /// Every IAM action reading and changing the setting needs.
    public let actions: [String]
    public let permission: Permission
    public let placement: Placement
    /// Checked (by polling ``read``) before each write; nil: writes go at once.
    public let readiness: Readiness?
    /// Whether apply polls ``read`` after a write until it answers the value written (DynamoDB's reads
    /// are eventually consistent after it), so the next plan does not see the value from before.
    public let waitsUntilRead: Bool
    /// The error code a conditional write gets when the revision it read is no longer the live one:
    /// apply reads and plans again instead of failing.
    public let staleRevisionCode: String?
    /// `CreateTable`'s member for the value (`ResourcePolicy`), for `--format create-table`; apply
    /// itself writes the value with the setting's own step once the table is ACTIVE.
    public let createTableMember: String?

    /// Validation's problems with a schema's value, each at its field path.
    let problems: @Sendable (JSONValue) -> [(path: String, message: String)]
    /// The schema document's form of a stored value (nil: left out).
    let documentForm: @Sendable (JSONValue) -> JSONValue?
    /// The live state from a read answer (nil: the ``Read/noneCode`` answer).
    let liveForm: @Sendable (JSONValue?) -> OperatedSettingState
    /// Whether the live value is what the schema asks for.
    let satisfies: @Sendable (_ wanted: JSONValue, _ live: JSONValue) -> Bool
    /// The requests that make the live value the wanted one; `address` is the table's name or ARN, as
    /// ``Read/address`` says.
    let writeRequests:
        @Sendable (OperatedSettingChange, _ name: String, _ arn: String) -> [(
            operation: String, body: JSONValue
        )]
    /// The step in words, its sign and its `--json` kind.
    let stepWords: @Sendable (OperatedSettingChange) -> (summary: String, symbol: String, kind: String)
    /// The value `schema --from-table` writes back for a live one (nil: left out).
    let adoptedForm: @Sendable (JSONValue) -> JSONValue?
    /// `status --json`'s members for the live state.
    let statusMembers: @Sendable (OperatedSettingState) -> [(key: String, value: JSONValue)]
    /// `status`'s text after its label, nil for no line.
    let statusWords: @Sendable (OperatedSettingState) -> String?
    /// The creation summary's row for a schema's value, nil for none.
    let creationWords: @Sendable (JSONValue) -> String?

    /// The settings, in the order documents, requests and reports list those listed after one field.
    public static let all: [OperatedSetting] = [pointInTimeRecovery, resourcePolicy]

    /// The setting whose Lua field is `field`.
    public static func named(_ field: String) -> OperatedSetting? {
        all.first { $0.field == field }
    }

    /// The settings listed right after the Lua field `field`, in ``all``'s order.
    public static func listed(after field: String) -> [OperatedSetting] {
        all.filter { $0.listedAfter == field }
    }

    /// The value a schema without the field has; nil when it leaves the live value alone.
    public func value(in schema: TableSchema) -> JSONValue? {
        schema.operatedSettings[field] ?? absentValue
    }

    /// The read request for the table named `name` with ARN `arn`.
    public func readRequest(name: String, arn: String) -> JSONValue {
        switch read.address {
        case .tableName: ["TableName": .string(name)]
        case .tableARN: ["ResourceArn": .string(arn)]
        }
    }

    /// The live state from a read answer; nil for the ``Read/noneCode`` answer.
    public func liveState(_ answer: JSONValue?) -> OperatedSettingState {
        liveForm(answer)
    }

    /// The live state of a read refused with `cause`: unknown.
    public func unreadable(_ cause: String) -> OperatedSettingState {
        OperatedSettingState(value: noneValue, readError: cause)
    }

    /// Whether `live` is what `wanted` asks for.
    public func isSatisfied(wanted: JSONValue, live: JSONValue) -> Bool {
        satisfies(wanted, live)
    }

    /// The change that makes `live` what `schema` asks for; nil when it is already, or when the schema
    /// leaves the setting alone.
    public func change(_ schema: TableSchema, live: OperatedSettingState) -> OperatedSettingChange? {
        guard let wanted = value(in: schema), !satisfies(wanted, live.value) else { return nil }
        return OperatedSettingChange(field: field, wanted: wanted, live: live)
    }

    /// The schema document's form of `value`.
    public func document(_ value: JSONValue) -> JSONValue? {
        documentForm(value)
    }

    /// Validation's problems with `value`, at field paths.
    public func problems(with value: JSONValue) -> [(path: String, message: String)] {
        problems(value)
    }

    /// The value `schema --from-table` writes back for `live`; nil leaves the field out.
    public func adopted(_ live: OperatedSettingState) -> JSONValue? {
        adoptedForm(live.value)
    }

    /// `status --json`'s members for `live`.
    public func statusJSON(_ live: OperatedSettingState) -> [(key: String, value: JSONValue)] {
        statusMembers(live)
    }

    /// `status`'s line for `live` (label padded as the other lines), nil for none.
    public func statusLine(_ live: OperatedSettingState) -> String? {
        statusWords(live).map { "  " + statusLabel.padding(toLength: max(12, statusLabel.count + 1)) + $0 }
    }

    /// The creation summary's value for `value`, nil for no row.
    public func creationRow(_ value: JSONValue) -> String? {
        creationWords(value)
    }

    /// Whether DynamoDB reports `code` when the table is not ready for a write yet.
    public func isNotReady(_ code: String) -> Bool {
        readiness?.retriedCode == code
    }
}

/// A setting's live state: its value, the revision a conditional write names, and why it could not be
/// read (the value then says nothing about the table).
public struct OperatedSettingState: Sendable, Equatable {
    public var value: JSONValue
    /// The revision a read reported (`RevisionId`), sent back as `ExpectedRevisionId`.
    public var revision: String?
    /// Why the read was refused; nil when it was read.
    public var readError: String?

    public init(value: JSONValue, revision: String? = nil, readError: String? = nil) {
        self.value = value
        self.revision = revision
        self.readError = readError
    }
}

/// One change of an ``OperatedSetting``: the schema's value, and the live state it replaces.
public struct OperatedSettingChange: Sendable, Equatable {
    public var field: String
    public var wanted: JSONValue
    public var live: OperatedSettingState

    public init(field: String, wanted: JSONValue, live: OperatedSettingState) {
        self.field = field
        self.wanted = wanted
        self.live = live
    }

    /// Its descriptor.
    public var setting: OperatedSetting? {
        OperatedSetting.named(field)
    }

    /// The requests that carry it out on the table `name` with ARN `arn`.
    public func requests(name: String, arn: String) -> [(operation: String, body: JSONValue)] {
        setting?.writeRequests(self, name, arn) ?? []
    }

    /// `enable point-in-time recovery (7 days)`.
    public var summary: String { setting?.stepWords(self).summary ?? field }
    /// `+`, `~` or `-`.
    public var symbol: String { setting?.stepWords(self).symbol ?? "~" }
    /// `update_point_in_time_recovery`.
    public var kind: String { setting?.stepWords(self).kind ?? "update_\(field)" }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        self + String(repeating: " ", count: Swift.max(0, length - count))
    }
}

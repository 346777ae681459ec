import DynamoDB
import Numbers
import Schema

/// Why provisioning a table could not go on. Messages name the table and the step; they never contain
/// credentials (the client's errors do not either).
public enum ProvisioningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// DynamoDB answered with something this tool cannot read.
    case unexpectedResponse(operation: String, detail: String)
    /// The schema is invalid: every problem, `path: message`.
    case invalidSchema(table: String, problems: [String])
    /// Changes that cannot be made in place (key schema, LSIs): the table is left untouched.
    case blocked(table: String, changes: [BlockedChange])
    /// A step failed: the step as the plan shows it, and the cause.
    case stepFailed(table: String, step: String, cause: String)
    /// The table or an index did not settle in time.
    case waitTimedOut(table: String, waitingFor: String, seconds: Double)
    /// Ctrl-C or a cancelled task.
    case cancelled(table: String)
    /// The table was deleted (by someone else) while apply waited for it.
    case tableDeleted(table: String, waitingFor: String)
    /// Re-planning after every step still found changes.
    case didNotConverge(table: String, remaining: [String])
    /// `delete` of a table with deletion protection on.
    case deletionProtected(table: String)
    /// A call to DynamoDB failed outside any step (reading the live table, for example).
    case request(table: String, operation: String, cause: String)
    /// The read of an ``OperatedSetting`` (GetResourcePolicy) was refused (AccessDeniedException) on a
    /// table whose schema gives it (`resource_policy`): plan and apply cannot compare a value they may
    /// not read. `field` is the setting's Lua field.
    case settingNotReadable(table: String, field: String, cause: String)
    /// DynamoDB could not be reached, or what answered was not DynamoDB: the same for every table, so
    /// a command can say it once (``TransportFailure/summary``).
    case unreachable(table: String, failure: TransportFailure)

    /// The table the error is about ("" for a response that names none).
    public var table: String {
        switch self {
        case .unexpectedResponse: ""
        case .invalidSchema(let table, _), .blocked(let table, _), .stepFailed(let table, _, _),
            .waitTimedOut(let table, _, _), .cancelled(let table), .tableDeleted(let table, _),
            .didNotConverge(let table, _),
            .deletionProtected(let table), .request(let table, _, _), .unreachable(let table, _),
            .settingNotReadable(let table, _, _):
            table
        }
    }

    public var description: String {
        switch self {
        case .unexpectedResponse(let operation, let detail):
            return "unexpected \(operation) response: \(detail)"
        case .invalidSchema(let table, let problems):
            return "table '\(table)' is invalid:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        case .blocked(let table, let changes) where changes.allSatisfy(\.isUnmanaged):
            return "table '\(table)' has what the model cannot describe (it was not touched):\n"
                + changes.map { "  \($0)" }.joined(separator: "\n")
        case .blocked(let table, let changes):
            return "table '\(table)' needs changes that cannot be made in place (it was not touched):\n"
                + changes.map { "  \($0)" }.joined(separator: "\n")
        case .stepFailed(let table, let step, let cause):
            return "table '\(table)': \(step): \(cause)"
        case .waitTimedOut(let table, let waitingFor, let seconds):
            return "table '\(table)': gave up after \(Self.format(seconds)) waiting for \(waitingFor)"
        case .cancelled(let table):
            return "table '\(table)': interrupted"
        case .tableDeleted(let table, let waitingFor):
            return "table '\(table)': \(waitingFor): the table was deleted while apply waited for it"
        case .didNotConverge(let table, let remaining):
            return "table '\(table)' still differs after applying: " + remaining.joined(separator: "; ")
        case .deletionProtected(let table):
            return "table '\(table)' has deletion protection on; turn it off first "
                + "(set deletion_protection = false and apply, or aws dynamodb update-table --table-name \(table) "
                + "--no-deletion-protection-enabled)"
        case .request(let table, let operation, let cause):
            return Self.requestFailure(operation: operation, table: table, cause: cause)
        case .settingNotReadable(let table, let field, let cause):
            let setting = OperatedSetting.named(field)
            let operation = setting?.read.operation ?? field
            return
                "table '\(table)': \(operation) was refused (\(cause)); the schema sets \(field), "
                + "so plan and apply need the dynamodb:\(operation) permission on the table "
                + "(without a \(field) field the \(setting?.title ?? field) is left alone and need not be read)"
        case .unreachable(let table, let failure):
            return "table '\(table)': \(failure.operation): \(failure.summary)"
        }
    }

    private static func format(_ seconds: Double) -> String {
        let whole = WholeNumber.clamped(seconds)
        return seconds >= 60
            ? "\(whole / 60) min \(whole % 60) s"
            : "\(WholeNumber.clamped(seconds, rounding: .toNearestOrAwayFromZero)) s"
    }
}

extension ProvisioningError {
    /// `OPERATION on table 'T' failed: ...` said once: a cause that already names its operation (the
    /// client's errors do: `DescribeTable on table 't' failed: Code: message (HTTP 400, request id R)`)
    /// is not prefixed again.
    public static func requestFailure(operation: String, table: String?, cause: String) -> String {
        if cause.hasPrefix(operation + " ") { return cause }
        return (table.map { "table '\($0)': " } ?? "") + "\(operation) failed: \(cause)"
    }
}

import Schema

/// The rules of DynamoDB's control plane that apply must follow and that local servers (moto) do not
/// enforce, in one place, each with the sentence of the AWS documentation it comes from. The plan uses
/// them to warn before a rule bites; apply uses them to wait, retry, defer or explain instead of failing.
/// `scripts/dynamodb-delay-proxy` enforces the same rules, so tests see what AWS would do.
public enum DynamoDBRules {
    // MARK: Time to live

    /// UpdateTimeToLive: "It can take up to one hour for the change to fully process. Any additional
    /// UpdateTimeToLive calls for the same table during this one hour duration result in a
    /// ValidationException." Changing the TTL attribute is therefore two phases an hour apart.
    public static let timeToLiveChangeInterval: Int64 = 3600

    /// What the plan says about the second phase of a TTL attribute change.
    public static func timeToLiveSecondPhaseWarning(from previous: String) -> String {
        "DynamoDB allows one TTL change per table per hour: TTL on \(previous) is turned off first, and this "
            + "second phase can run an hour later; apply reports the table PENDING until then, and TTL is off "
            + "in between"
    }

    /// The ValidationException DynamoDB answers a second UpdateTimeToLive within the hour with ("Time to
    /// live has been modified multiple times within a fixed interval"): a wait, never a plain failure.
    public static func isTimeToLiveChangedTooRecently(_ error: ControlPlaneError) -> Bool {
        error.code == "ValidationException"
            && (error.message.contains("modified multiple times") || error.message.contains("one hour"))
    }

    /// DescribeTimeToLive statuses in which a change is still under way and must be waited for.
    public static func isTimeToLiveInTransition(_ status: String) -> Bool {
        status == "ENABLING" || status == "DISABLING"
    }

    // MARK: Resource policy

    // PolicyNotFoundException (no policy, or a revision that no longer matches) and the read-back after a
    // put are the resource policy's own rules, with their sentences: `OperatedSetting.resourcePolicy`.

    /// GetResourcePolicy refused to a caller without `dynamodb:GetResourcePolicy` ("User: ... is not
    /// authorized to perform: dynamodb:GetResourcePolicy"). Many roles that may converge a table may not
    /// read its policy: that is fine while the schema leaves the policy alone (the live table's policy is
    /// then unknown), and an error naming the permission when the schema sets one.
    public static func isAccessDenied(_ error: ControlPlaneError) -> Bool {
        error.code == "AccessDeniedException"
    }

    // MARK: Warm throughput

    /// Warm throughput: "You can increase the warm throughput value for read operations, write
    /// operations, or both", and "DynamoDB will automatically adjust warm throughput values as your usage
    /// increases": it goes up, never down. A schema below the live value is a blocked change, with this
    /// reason: ``ThroughputSetting/warmThroughput``'s `.raiseOnly` rule, where the diff finds it.
    public static let warmThroughputDecreaseReason = ThroughputSetting.warmThroughput.decreaseReason ?? ""

    // MARK: Streams

    /// UpdateTable: "You receive a ValidationException if you try to enable a stream on a table that
    /// already has a stream", and "While it is UPDATING, you cannot issue another UpdateTable request."
    /// So a step of several requests (a stream view type change: disable, then enable) waits until the
    /// table is ACTIVE again before each UpdateTable after the first.
    public static func needsSettledTable(before operation: String) -> Bool {
        operation == "UpdateTable"
    }

    // MARK: Account limits

    /// What a LimitExceededException means for apply.
    public enum Limit: Sendable, Equatable {
        /// LimitExceededException: "For most purposes, up to 500 simultaneous table operations are allowed
        /// per account. These operations include CreateTable, UpdateTable, DeleteTable, UpdateTimeToLive,
        /// RestoreTableFromBackup, and RestoreTableToPointInTime. When you are creating a table with one or
        /// more secondary indexes, you can have up to 250 such requests running at a time." Other
        /// operations finish: wait and retry, as Terraform does.
        case simultaneousOperations
        /// "There is a soft account quota of 2,500 tables." Retrying cannot help: the quota must be raised.
        case tables
        /// Global secondary indexes per table (20 by default, adjustable).
        case indexesPerTable
        /// A limit this tool does not know by name.
        case other

        /// The limit and the quota to raise, for an error message.
        public var advice: String {
            switch self {
            case .simultaneousOperations:
                "DynamoDB's limit on simultaneous table operations per account was reached"
            case .tables:
                "the account's table quota in this Region is reached: raise the Service Quotas quota "
                    + "'Maximum number of tables' for Amazon DynamoDB, or delete unused tables"
            case .indexesPerTable:
                "the table's global secondary index quota is reached: raise the Service Quotas quota "
                    + "'Global secondary indexes per table' for Amazon DynamoDB, or drop an index"
            case .other:
                "an Amazon DynamoDB limit was reached: see its quotas in Service Quotas"
            }
        }
    }

    /// The limit a LimitExceededException is about, or nil for any other error.
    public static func limit(_ error: ControlPlaneError) -> Limit? {
        guard error.code == "LimitExceededException" else { return nil }
        let message = error.message.lowercased()
        if message.contains("simultaneous") || message.contains("concurrent")
            || message.contains("too many operations") || message.contains("created, updated, or deleted")
        {
            return .simultaneousOperations
        }
        if message.contains("index") || message.contains("indexes") { return .indexesPerTable }
        if message.contains("tables") { return .tables }
        return .other
    }

    // MARK: Billing mode

    /// Considerations when switching capacity modes: "You can switch tables from provisioned capacity mode
    /// to on-demand mode up to four times in a 24-hour rolling window. You can switch tables from on-demand
    /// mode to provisioned capacity mode at any time." UpdateTable BillingMode: "When switching from
    /// pay-per-request to provisioned capacity, initial provisioned capacity values must be set." (for the
    /// table and every global secondary index, in the same call).
    public static func billingSwitchWarning(to mode: BillingMode) -> String {
        if mode == .payPerRequest {
            return "DynamoDB allows switching a table from PROVISIONED to PAY_PER_REQUEST up to four times "
                + "in a 24-hour rolling window"
        }
        return
            "switching to PROVISIONED sets capacity for the table and every index in this same UpdateTable "
            + "(DynamoDB requires it); switching back to PAY_PER_REQUEST is allowed up to four times in 24 hours"
    }
}

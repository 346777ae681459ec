/// The most an on-demand table or GSI may be asked to serve (`on_demand_throughput = { max_read = N,
/// max_write = N }`, DynamoDB's `OnDemandThroughput`): request units per second above which requests
/// are throttled, a ceiling on cost. Either limit may be left out (no limit on that side).
public struct OnDemandThroughput: Sendable, Equatable {
    /// `MaxReadRequestUnits`; `nil` for no limit (DynamoDB reports and takes -1 for that).
    public var maxRead: Int?
    /// `MaxWriteRequestUnits`; `nil` for no limit.
    public var maxWrite: Int?

    public init(maxRead: Int? = nil, maxWrite: Int? = nil) {
        self.maxRead = maxRead
        self.maxWrite = maxWrite
    }

    /// No limit on either side: what a table without the setting has.
    public var isUnlimited: Bool { maxRead == nil && maxWrite == nil }

    /// The typed view of ``ThroughputSetting/onDemandThroughput``'s units; nil for none.
    public init?(_ units: ThroughputUnits?) {
        guard let units else { return nil }
        self.init(maxRead: units["max_read"], maxWrite: units["max_write"])
    }

    /// The units ``ThroughputSetting/onDemandThroughput`` holds.
    public var units: ThroughputUnits {
        var units = ThroughputUnits()
        units["max_read"] = maxRead
        units["max_write"] = maxWrite
        return units
    }

    /// The value DynamoDB takes for "no limit" in an update.
    public static let noLimit = -1
}

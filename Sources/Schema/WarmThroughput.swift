/// The request rate a table or GSI can serve at once (`warm_throughput = { read_units = N,
/// write_units = N }`, DynamoDB's `WarmThroughput`), in units per second. DynamoDB gives every table a
/// value and raises it with use; a schema can raise it ahead of a peak ("pre-warming"), never lower it.
/// A side left out is left as it is.
public struct WarmThroughput: Sendable, Equatable {
    /// `ReadUnitsPerSecond`.
    public var readUnits: Int?
    /// `WriteUnitsPerSecond`.
    public var writeUnits: Int?

    public init(readUnits: Int? = nil, writeUnits: Int? = nil) {
        self.readUnits = readUnits
        self.writeUnits = writeUnits
    }

    /// Neither side given.
    public var isEmpty: Bool { readUnits == nil && writeUnits == nil }

    /// The typed view of ``ThroughputSetting/warmThroughput``'s units; nil for none.
    public init?(_ units: ThroughputUnits?) {
        guard let units else { return nil }
        self.init(readUnits: units["read_units"], writeUnits: units["write_units"])
    }

    /// The units ``ThroughputSetting/warmThroughput`` holds.
    public var units: ThroughputUnits {
        var units = ThroughputUnits()
        units["read_units"] = readUnits
        units["write_units"] = writeUnits
        return units
    }
}

extension TableSchema {
    /// Whether the schema gives warm throughput, on the table or any GSI: plan then checks it against
    /// the account's quota in each region it applies to (DescribeLimits).
    public var hasWarmThroughput: Bool {
        warmThroughput != nil || globalSecondaryIndexes.contains { $0.warmThroughput != nil }
    }
}

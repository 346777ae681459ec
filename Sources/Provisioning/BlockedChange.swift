/// A difference that cannot be made in place: changing it would mean replacing the table and losing
/// its data, which this tool never does, or DynamoDB does not allow it at all (lowering warm throughput).
public struct BlockedChange: Sendable, Equatable, CustomStringConvertible {
    /// The schema field (`partition_key`, `sort_key`, `lsis`).
    public var field: String
    /// What the live table has.
    public var live: String
    /// What the schema wants.
    public var wanted: String
    /// Why DynamoDB cannot make it; `nil` for the usual reason, that it needs a new table.
    public var reason: String?

    public init(field: String, live: String, wanted: String, reason: String? = nil) {
        self.field = field
        self.live = live
        self.wanted = wanted
        self.reason = reason
    }

    public var description: String {
        "\(field): the table has \(live), the schema wants \(wanted) (\(reason ?? "needs a new table"))"
    }
}

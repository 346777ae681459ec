/// A difference that cannot be made in place: changing it would mean replacing the table and losing
/// its data, which this tool never does.
public struct BlockedChange: Sendable, Equatable, CustomStringConvertible {
    /// The schema field (`partition_key`, `sort_key`, `lsis`).
    public var field: String
    /// What the live table has.
    public var live: String
    /// What the schema wants.
    public var wanted: String

    public init(field: String, live: String, wanted: String) {
        self.field = field
        self.live = live
        self.wanted = wanted
    }

    public var description: String {
        "\(field): the table has \(live), the schema wants \(wanted) (needs a new table)"
    }
}

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

    /// A part of the live table the model cannot represent: the schema can neither agree nor disagree
    /// with it, so the table is not touched and never called up to date (``UnmanagedField``).
    public static func unmanaged(_ field: UnmanagedField) -> BlockedChange {
        BlockedChange(
            field: "not managed: \(field.path)", live: field.value, wanted: "nothing the model can say",
            reason: unmanagedReason)
    }

    /// Whether this is a part of the live table the model cannot represent (``unmanaged(_:)``).
    public var isUnmanaged: Bool { reason == Self.unmanagedReason }

    static let unmanagedReason =
        "sentinel-tables cannot describe it, so it cannot tell whether the schema agrees"

    public var description: String {
        if isUnmanaged {
            return "\(field) = \(live) (\(reason ?? ""))"
        }
        return
            "\(field): the table has \(live), the schema wants \(wanted) (\(reason ?? "needs a new table"))"
    }
}

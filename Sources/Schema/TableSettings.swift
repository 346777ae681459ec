/// The values of the table-level settings each described once by a ``TableSetting``: the part that a
/// schema and a live table hold alike, so the descriptors can read, write and compare both.
public struct TableSettings: Sendable, Equatable {
    /// Whether the table refuses DeleteTable (`deletion_protection`).
    public var deletionProtection: Bool
    /// The storage class (`table_class`).
    public var tableClass: TableClass

    /// DynamoDB's defaults: what a table has when CreateTable does not say.
    public init(deletionProtection: Bool = false, tableClass: TableClass = .standard) {
        self.deletionProtection = deletionProtection
        self.tableClass = tableClass
    }
}

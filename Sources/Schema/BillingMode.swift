/// How a table is billed: `PAY_PER_REQUEST` (on demand) or `PROVISIONED` (fixed capacity).
///
/// Held as text so a wrong name from user input reaches validation (see ``SchemaKeyword``). The
/// capacities are separate fields of ``TableSchema`` and ``GlobalSecondaryIndex`` (Lua's
/// `read_capacity`, `write_capacity`), so that `PROVISIONED` without capacity, or `PAY_PER_REQUEST`
/// with some, can be held and reported rather than being unrepresentable.
public struct BillingMode: SchemaKeyword {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// `PAY_PER_REQUEST`: on demand, no capacity.
    public static let payPerRequest = BillingMode(rawValue: "PAY_PER_REQUEST")
    /// `PROVISIONED`: read and write capacity on the table and on every GSI.
    public static let provisioned = BillingMode(rawValue: "PROVISIONED")

    public static let allKnown: [BillingMode] = [.payPerRequest, .provisioned]
}

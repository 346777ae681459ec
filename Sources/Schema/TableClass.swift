/// A table's storage class: `STANDARD` or `STANDARD_INFREQUENT_ACCESS`.
///
/// Held as text so a wrong name from user input reaches validation (see ``SchemaKeyword``).
public struct TableClass: SchemaKeyword {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The default class.
    public static let standard = TableClass(rawValue: "STANDARD")
    /// Cheaper storage, dearer reads and writes.
    public static let standardInfrequentAccess = TableClass(rawValue: "STANDARD_INFREQUENT_ACCESS")

    public static let allKnown: [TableClass] = [.standard, .standardInfrequentAccess]
}

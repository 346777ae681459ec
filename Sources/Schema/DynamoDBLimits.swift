/// The DynamoDB limits that validation enforces, from the service's documented quotas, so that a
/// schema that passes validation is not rejected by CreateTable for these reasons.
public enum DynamoDBLimits {
    /// Table and index names: characters.
    public static let nameLength = 3...255
    /// Global secondary indexes per table (the default quota).
    public static let maxGlobalSecondaryIndexes = 20
    /// Local secondary indexes per table.
    public static let maxLocalSecondaryIndexes = 5
    /// Non-key attributes projected with `INCLUDE`, summed over all of a table's indexes (the same
    /// attribute in two indexes counts twice).
    public static let maxNonKeyAttributes = 100
    /// Key attribute and projected attribute names: UTF-8 bytes.
    public static let maxAttributeNameBytes = 255
    /// Attributes in each of a GSI's keys: "Multi-attribute keys let you create Global Secondary Index
    /// (GSI) partition and sort keys composed of up to four attributes each" (Developer Guide,
    /// GSI.DesignPattern.MultiAttributeKeys); the KeySchema then holds up to four HASH and four RANGE
    /// elements. Tables and LSIs keep one of each.
    public static let maxIndexKeyAttributes = 4
    /// Tags per resource.
    public static let maxTags = 50
    /// Tag keys: Unicode characters.
    public static let tagKeyLength = 1...128
    /// Tag values: Unicode characters.
    public static let maxTagValueLength = 256
    /// Point-in-time recovery's period, in days (`RecoveryPeriodInDays`: "between 1 and 35").
    public static let recoveryPeriodDays = 1...35
}

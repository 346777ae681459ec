/// A local secondary index: the table's partition key with another sort key.
///
/// It has no partition key of its own (DynamoDB requires the table's) and no capacity of its own
/// (it shares the table's). It can only be created with the table, which must have a sort key.
public struct LocalSecondaryIndex: Sendable, Equatable {
    /// The index name, 3 to 255 of `[A-Za-z0-9_.-]`, unique among the table's indexes.
    public var name: String
    /// The index's sort key, which must differ from the table's partition key.
    public var sortKey: KeyAttribute
    /// What the index copies from the table.
    public var projection: Projection

    public init(name: String, sortKey: KeyAttribute, projection: Projection = .all) {
        self.name = name
        self.sortKey = sortKey
        self.projection = projection
    }
}

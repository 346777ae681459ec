/// A global secondary index: its own partition key and optional sort key over the whole table.
public struct GlobalSecondaryIndex: Sendable, Equatable {
    /// The index name, 3 to 255 of `[A-Za-z0-9_.-]`, unique among the table's indexes.
    public var name: String
    /// The index's partition key; an empty name means "not given" and fails validation.
    public var partitionKey: KeyAttribute
    /// The index's sort key, if any.
    public var sortKey: KeyAttribute?
    /// What the index copies from the table.
    public var projection: Projection
    /// Read capacity units: required (at least 1) when the table is `PROVISIONED`, not allowed when it is
    /// `PAY_PER_REQUEST`. Optional rather than defaulted so that a missing value can be reported.
    public var readCapacity: Int?
    /// Write capacity units, with the same rules as ``readCapacity``.
    public var writeCapacity: Int?
    /// The index's on-demand limits (`on_demand_throughput`), only with `PAY_PER_REQUEST`; `nil` for none.
    public var onDemandThroughput: OnDemandThroughput?
    /// The index's warm throughput to raise it to (`warm_throughput`); `nil` leaves DynamoDB's.
    public var warmThroughput: WarmThroughput?

    public init(
        name: String, partitionKey: KeyAttribute, sortKey: KeyAttribute? = nil, projection: Projection = .all,
        readCapacity: Int? = nil, writeCapacity: Int? = nil, onDemandThroughput: OnDemandThroughput? = nil,
        warmThroughput: WarmThroughput? = nil
    ) {
        self.name = name
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.projection = projection
        self.readCapacity = readCapacity
        self.writeCapacity = writeCapacity
        self.onDemandThroughput = onDemandThroughput
        self.warmThroughput = warmThroughput
    }
}

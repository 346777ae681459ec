/// A global secondary index: its own partition key and optional sort key over the whole table.
///
/// Either key may be made of several attributes (DynamoDB's multi-attribute keys, November 2025):
/// "Multi-attribute keys let you create Global Secondary Index (GSI) partition and sort keys composed of
/// up to four attributes each" (Developer Guide, GSI.DesignPattern.MultiAttributeKeys). The elements
/// keep their order: DynamoDB's KeySchema lists them in order, HASH elements first, then RANGE, and a
/// different order is a different index. One element is the classic single-attribute key.
public struct GlobalSecondaryIndex: Sendable, Equatable, ThroughputHolder {
    /// The index name, 3 to 255 of `[A-Za-z0-9_.-]`, unique among the table's indexes.
    public var name: String
    /// The index's partition key attributes, in order (1 to 4); empty means "not given" and fails
    /// validation, as does an element with an empty name.
    public var partitionKeys: [KeyAttribute]
    /// The index's sort key attributes, in order (0 to 4); empty for no sort key.
    public var sortKeys: [KeyAttribute]
    /// What the index copies from the table.
    public var projection: Projection
    /// Read capacity units: required (at least 1) when the table is `PROVISIONED`, not allowed when it is
    /// `PAY_PER_REQUEST`. Optional rather than defaulted so that a missing value can be reported.
    public var readCapacity: Int?
    /// Write capacity units, with the same rules as ``readCapacity``.
    public var writeCapacity: Int?
    /// The index's values of each ``ThroughputSetting``, by Lua field; a setting left out is absent.
    public var throughput: [String: ThroughputUnits]

    /// An index with a single-attribute partition key and at most one sort key attribute.
    public init(
        name: String, partitionKey: KeyAttribute, sortKey: KeyAttribute? = nil, projection: Projection = .all,
        readCapacity: Int? = nil, writeCapacity: Int? = nil, onDemandThroughput: OnDemandThroughput? = nil,
        warmThroughput: WarmThroughput? = nil
    ) {
        self.init(
            name: name, partitionKeys: [partitionKey], sortKeys: sortKey.map { [$0] } ?? [],
            projection: projection, readCapacity: readCapacity, writeCapacity: writeCapacity,
            onDemandThroughput: onDemandThroughput, warmThroughput: warmThroughput)
    }

    /// An index whose keys may each have several attributes, in order.
    public init(
        name: String, partitionKeys: [KeyAttribute], sortKeys: [KeyAttribute] = [],
        projection: Projection = .all, readCapacity: Int? = nil, writeCapacity: Int? = nil,
        onDemandThroughput: OnDemandThroughput? = nil, warmThroughput: WarmThroughput? = nil
    ) {
        self.name = name
        self.partitionKeys = partitionKeys
        self.sortKeys = sortKeys
        self.projection = projection
        self.readCapacity = readCapacity
        self.writeCapacity = writeCapacity
        self.throughput = [:]
        self.onDemandThroughput = onDemandThroughput
        self.warmThroughput = warmThroughput
    }

    /// Every key attribute of the index with the field path of its element, HASH elements first: a key of
    /// one element keeps the classic path (`partition_key`), a longer one numbers them
    /// (`partition_key[2]`), as a script writes them.
    public func keyUses(at path: String) -> [(path: String, key: KeyAttribute)] {
        Self.elementPaths(partitionKeys, at: "\(path).partition_key")
            + Self.elementPaths(sortKeys, at: "\(path).sort_key")
    }

    /// The keys as plan, status and creation details show them: the attributes of one key joined by
    /// ` + `, the partition key and the sort key by `, ` (`tenant (S) + region (S), created_at (S)`), so a
    /// single-attribute index reads as it always has.
    public func describeKeys(_ describe: (KeyAttribute) -> String) -> String {
        [partitionKeys, sortKeys].filter { !$0.isEmpty }
            .map { $0.map(describe).joined(separator: " + ") }
            .joined(separator: ", ")
    }

    static func elementPaths(_ keys: [KeyAttribute], at path: String) -> [(path: String, key: KeyAttribute)] {
        guard keys.count > 1 else { return keys.map { (path, $0) } }
        return keys.enumerated().map { ("\(path)[\($0.offset + 1)]", $0.element) }
    }
}

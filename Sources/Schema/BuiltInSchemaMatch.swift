/// Which built-in Sentinel schema a table is, if it is one: what `schema --from-table` writes a script
/// on, so that only the table's differences from Sentinel's defaults need reading.
public struct BuiltInSchemaMatch: Sendable, Equatable {
    public var kind: BuiltInSchema
    /// The built-in's indexes the table has with the same keys and projection.
    public var matchingIndexes: [String]

    /// The built-in whose keys `schema` has and most of whose indexes (more than half) it has with the
    /// same keys and projection; the one with most such indexes when several qualify, then the one
    /// whose default table name the table's name starts with. Capacity and every other setting may
    /// differ: they become edits.
    public static func closest(to schema: TableSchema) -> BuiltInSchemaMatch? {
        var best: BuiltInSchemaMatch?
        for kind in BuiltInSchema.allCases {
            let builtIn = kind.schema()
            guard builtIn.partitionKey == schema.partitionKey, builtIn.sortKey == schema.sortKey else {
                continue
            }
            let matching = builtIn.globalSecondaryIndexes.filter { index in
                schema.globalSecondaryIndexes.contains { sameShape($0, index) }
            }
            guard matching.count * 2 > builtIn.globalSecondaryIndexes.count else { continue }
            let candidate = BuiltInSchemaMatch(kind: kind, matchingIndexes: matching.map(\.name))
            guard let current = best else {
                best = candidate
                continue
            }
            if candidate.matchingIndexes.count > current.matchingIndexes.count
                || (candidate.matchingIndexes.count == current.matchingIndexes.count
                    && schema.name.hasPrefix(kind.defaultTableName)
                    && !schema.name.hasPrefix(current.kind.defaultTableName))
            {
                best = candidate
            }
        }
        return best
    }

    /// Same name, keys and projection (non-key attributes in any order).
    public static func sameShape(_ a: GlobalSecondaryIndex, _ b: GlobalSecondaryIndex) -> Bool {
        a.name == b.name && a.partitionKeys == b.partitionKeys && a.sortKeys == b.sortKeys
            && a.projection.type == b.projection.type
            && Set(a.projection.nonKeyAttributes) == Set(b.projection.nonKeyAttributes)
    }
}

import DynamoDB

/// The key attributes of a table and of each of its indexes, from DescribeTable: what a `where` table
/// is checked against, and how `get_all` puts its answers back in the order of its keys.
struct TableKeys: Sendable {
    struct KeyPair: Sendable, Equatable {
        let partition: String
        let sort: String?

        init(partition: String, sort: String?) {
            self.partition = partition
            self.sort = sort
        }

        init(_ schema: [TableDescription.KeyElement]) {
            partition = schema.first { $0.keyType == "HASH" }?.attributeName ?? ""
            sort = schema.first { $0.keyType == "RANGE" }?.attributeName
        }

        var names: [String] { [partition] + (sort.map { [$0] } ?? []) }
    }

    let tableName: String
    let table: KeyPair
    let indexes: [String: KeyPair]

    init(_ description: TableDescription) {
        tableName = description.tableName
        table = KeyPair(description.keySchema)
        var indexes: [String: KeyPair] = [:]
        for index in description.globalSecondaryIndexes {
            indexes[index.indexName] = KeyPair(index.keySchema)
        }
        for index in description.localSecondaryIndexes { indexes[index.indexName] = KeyPair(index.keySchema) }
        self.indexes = indexes
    }

    /// The keys of `index`, or of the table when it is nil.
    func keys(of index: String?) throws -> KeyPair {
        guard let index else { return table }
        guard let keys = indexes[index] else {
            let known = indexes.keys.sorted()
            throw ScriptError(
                "table '\(tableName)' has no index '\(index)'"
                    + (known.isEmpty ? " (it has none)" : " (it has \(known.joined(separator: ", ")))"))
        }
        return keys
    }
}

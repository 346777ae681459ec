import DynamoDB

/// The key attributes of a table and of each of its indexes, from DescribeTable: what a `where` table
/// is checked against, and how `get_all` puts its answers back in the order of its keys.
struct TableKeys: Sendable {
    struct KeyPair: Sendable, Equatable {
        let partition: String
        let sort: String?
        /// Every HASH and RANGE attribute, in order: more than one of either is a multi-attribute
        /// index key, which the data functions do not query (``TableKeys/keys(of:)`` refuses it).
        let allPartitions: [String]
        let allSorts: [String]

        init(partition: String, sort: String?) {
            self.partition = partition
            self.sort = sort
            allPartitions = [partition]
            allSorts = sort.map { [$0] } ?? []
        }

        init(_ schema: [TableDescription.KeyElement]) {
            allPartitions = schema.filter { $0.keyType == "HASH" }.map(\.attributeName)
            allSorts = schema.filter { $0.keyType == "RANGE" }.map(\.attributeName)
            partition = allPartitions.first ?? ""
            sort = allSorts.first
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
        // Fail closed: a query built on the first attribute alone would ask DynamoDB something else.
        guard keys.allPartitions.count <= 1, keys.allSorts.count <= 1 else {
            throw ScriptError(
                "index '\(index)' of table '\(tableName)' is keyed by several attributes ("
                    + keys.allPartitions.joined(separator: " + ")
                    + (keys.allSorts.isEmpty ? "" : " / " + keys.allSorts.joined(separator: " + "))
                    + "), which sentinel.db does not query yet; use sentinel.db.execute with a PartiQL "
                    + "SELECT, or a scan with a filter")
        }
        return keys
    }
}

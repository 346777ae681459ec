import JSON

extension SchemaValidator {
    mutating func checkGlobalSecondaryIndexes() {
        let indexes = schema.globalSecondaryIndexes
        if indexes.count > DynamoDBLimits.maxGlobalSecondaryIndexes {
            report("gsis", "\(indexes.count) global secondary indexes; at most 20 are allowed")
        }
        for (offset, index) in indexes.enumerated() {
            let path = "gsis[\(offset + 1)]"
            checkIndexName(index.name, at: path, kind: "GSI index name")
            checkIndexKeys(index, at: path)
            let keys =
                [("partition_key", schema.partitionKey.name), ("sort_key", schema.sortKey?.name)]
                + index.keyUses(at: path).map { ($0.path, Optional($0.key.name)) }
            checkProjection(index.projection, at: path, keys: keys)
            checkCapacity(read: index.readCapacity, write: index.writeCapacity, prefix: "\(path).")
            checkThroughput(index.throughput, prefix: "\(path).")
        }
    }

    /// A GSI's keys: a partition key of 1 to 4 attributes, a sort key of 0 to 4 (DynamoDB's
    /// multi-attribute keys, ``DynamoDBLimits/maxIndexKeyAttributes``), each element a valid key
    /// attribute of one type across the table, and no attribute twice in the index's KeySchema
    /// (DynamoDB rejects a KeySchema that repeats an attribute, in one key or across the two).
    private mutating func checkIndexKeys(_ index: GlobalSecondaryIndex, at path: String) {
        let limit = DynamoDBLimits.maxIndexKeyAttributes
        if index.partitionKeys.isEmpty {
            report("\(path).partition_key.name", "key attribute name is required")
        }
        for (field, keys) in [("partition_key", index.partitionKeys), ("sort_key", index.sortKeys)]
        where keys.count > limit {
            report(
                "\(path).\(field)",
                "\(keys.count) attributes; a GSI's \(field) may have at most \(limit)")
        }
        var seen: [ExactString: String] = [:]
        for use in index.keyUses(at: path) {
            checkKey(use.key, at: use.path)
            guard !use.key.name.isEmpty else { continue }
            if let first = seen[ExactString(use.key.name)] {
                let across = first.contains(".partition_key") && use.path.contains(".sort_key")
                report(
                    "\(use.path).name",
                    across
                        ? "sort key '\(use.key.name)' is also the partition key (\(first)); they must differ"
                        : "attribute '\(use.key.name)' is already a key of this index (\(first)); "
                            + "an index key may not repeat an attribute")
            } else {
                seen[ExactString(use.key.name)] = use.path
            }
        }
    }

    mutating func checkLocalSecondaryIndexes() {
        let indexes = schema.localSecondaryIndexes
        guard !indexes.isEmpty else { return }
        if indexes.count > DynamoDBLimits.maxLocalSecondaryIndexes {
            report("lsis", "\(indexes.count) local secondary indexes; at most 5 are allowed")
        }
        if schema.sortKey == nil {
            report("lsis", "local secondary indexes need a table sort key (sort_key)")
        }
        for (offset, index) in indexes.enumerated() {
            let path = "lsis[\(offset + 1)]"
            checkIndexName(index.name, at: path, kind: "LSI index name")
            checkKey(index.sortKey, at: "\(path).sort_key")
            // An LSI's partition key is the table's.
            checkDistinct(
                index.sortKey, from: schema.partitionKey, at: "\(path).sort_key",
                partitionKeyPath: "partition_key")
            let keys = [
                ("partition_key", schema.partitionKey.name), ("sort_key", schema.sortKey?.name),
                ("\(path).sort_key", index.sortKey.name),
            ]
            checkProjection(index.projection, at: path, keys: keys)
        }
    }

    /// Index names follow the table name rules and are unique across GSIs and LSIs.
    private mutating func checkIndexName(_ name: String, at path: String, kind: String) {
        checkName(name, at: "\(path).name", kind: kind)
        guard !name.isEmpty else { return }
        if let first = indexNames[name] {
            report("\(path).name", "index name '\(name)' is already used by \(first)")
        } else {
            indexNames[name] = path
        }
    }

    /// The projection type, and the non-key attributes that only `INCLUDE` has: at least one, none a
    /// key of the table or of this index (keys are always projected), no repeats, names of 1-255
    /// bytes, and at most 100 in all indexes together.
    private mutating func checkProjection(
        _ projection: Projection, at path: String, keys: [(path: String, name: String?)]
    ) {
        let type = projection.type
        let attributes = projection.nonKeyAttributes
        let known = ProjectionType.knownList
        if type.rawValue.isEmpty {
            report("\(path).projection", "projection type is required: must be \(known)")
        } else if !type.isKnown {
            report("\(path).projection", "invalid projection type '\(type)': must be \(known)")
        } else if type == .include, attributes.isEmpty {
            report("\(path).non_key_attributes", "projection INCLUDE needs at least one non-key attribute")
        } else if type != .include, !attributes.isEmpty {
            report(
                "\(path).non_key_attributes",
                "non-key attributes are only allowed with projection INCLUDE, not \(type)")
        }

        var seen: [ExactString: Int] = [:]
        for (offset, attribute) in attributes.enumerated() {
            let attributePath = "\(path).non_key_attributes[\(offset + 1)]"
            if attribute.isEmpty {
                report(attributePath, "attribute name is required")
                continue
            }
            if attribute.utf8.count > DynamoDBLimits.maxAttributeNameBytes {
                report(
                    attributePath,
                    "attribute name is \(attribute.utf8.count) bytes long; at most 255 are allowed")
            }
            if let first = seen[ExactString(attribute)] {
                report(attributePath, "'\(attribute)' is already listed at non_key_attributes[\(first)]")
            } else {
                seen[ExactString(attribute)] = offset + 1
            }
            if let key = keys.first(where: { $0.name?.hasSameBytes(as: attribute) == true }) {
                report(
                    attributePath,
                    "'\(attribute)' is a key attribute (\(key.path)), which every index projects")
            }
        }

        let before = nonKeyAttributeTotal
        nonKeyAttributeTotal += attributes.count
        if before <= DynamoDBLimits.maxNonKeyAttributes,
            nonKeyAttributeTotal > DynamoDBLimits.maxNonKeyAttributes
        {
            report(
                "\(path).non_key_attributes",
                "this index brings the non-key attributes of all indexes to \(nonKeyAttributeTotal); "
                    + "at most 100 are allowed")
        }
    }
}

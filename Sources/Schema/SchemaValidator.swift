import JSON

extension TableSchema {
    /// Every problem with this schema, in field order, each with its field path: Sentinel's own checks
    /// (names and keys required, key types S/N/B) and the rules CreateTable would enforce (name
    /// syntax, key and index rules, projections, capacity, TTL, KMS key forms, stream view types,
    /// table classes, tags). Empty when the schema is valid.
    public func validate() -> [SchemaProblem] {
        var validator = SchemaValidator(schema: self)
        return validator.run()
    }
}

/// One pass over a schema in field order, collecting problems.
///
/// Rules that relate fields (one type per attribute, unique index names, the non-key attribute
/// total) keep state as the pass goes, so each problem is reported at the later, conflicting field
/// and names the earlier one.
struct SchemaValidator {
    let schema: TableSchema
    var problems: [SchemaProblem] = []
    /// The type and path of the first key use of each attribute with a known type.
    var keyTypes: [ExactString: (type: AttributeType, path: String)] = [:]
    /// The path of each index name seen so far.
    var indexNames: [String: String] = [:]
    /// Non-key attributes counted so far across indexes.
    var nonKeyAttributeTotal = 0

    init(schema: TableSchema) {
        self.schema = schema
    }

    mutating func run() -> [SchemaProblem] {
        checkName(schema.name, at: "name", kind: "table name")
        checkKey(schema.partitionKey, at: "partition_key")
        if let sortKey = schema.sortKey {
            checkKey(sortKey, at: "sort_key")
            checkDistinct(
                sortKey, from: schema.partitionKey, at: "sort_key", partitionKeyPath: "partition_key")
        }
        checkGlobalSecondaryIndexes()
        checkLocalSecondaryIndexes()
        checkBillingMode()
        checkCapacity(read: schema.readCapacity, write: schema.writeCapacity, prefix: "")
        checkThroughput(schema.throughput, prefix: "")
        checkTTL()
        checkEncryption()
        checkStream()
        checkOperatedSettings()
        checkTableSettings()
        checkTags()
        checkReplicas()
        return problems
    }

    mutating func report(_ path: String, _ message: String) {
        problems.append(SchemaProblem(path: path, message: message))
    }

    /// Table and index names: required, 3-255 characters of `[A-Za-z0-9_.-]`.
    mutating func checkName(_ name: String, at path: String, kind: String) {
        guard !name.isEmpty else {
            report(path, "\(kind) is required")
            return
        }
        let length = name.count
        if !DynamoDBLimits.nameLength.contains(length) {
            report(
                path,
                "\(kind) '\(name)' is \(length) character\(length == 1 ? "" : "s") long; it must be 3 to 255")
        }
        if let bad = name.unicodeScalars.first(where: { !Self.isNameCharacter($0) }) {
            report(
                path,
                "\(kind) '\(name)' contains \(Self.describe(bad)); only letters A-Z and a-z, digits, "
                    + "'_', '-' and '.' are allowed")
        }
    }

    /// A key attribute: name required and at most 255 bytes; type required and one of S, N, B; and
    /// the same type as every other key use of the same attribute.
    mutating func checkKey(_ key: KeyAttribute, at path: String) {
        if key.name.isEmpty {
            report("\(path).name", "key attribute name is required")
        } else if key.name.utf8.count > DynamoDBLimits.maxAttributeNameBytes {
            report(
                "\(path).name",
                "key attribute name is \(key.name.utf8.count) bytes long; at most 255 are allowed")
        }
        if key.type.rawValue.isEmpty {
            report("\(path).type", "key type is required: must be \(AttributeType.knownList)")
        } else if !key.type.isKnown {
            report("\(path).type", "invalid key type '\(key.type)': must be \(AttributeType.knownList)")
        }
        guard !key.name.isEmpty, key.type.isKnown else { return }
        if let first = keyTypes[ExactString(key.name)] {
            if first.type != key.type {
                report(
                    "\(path).type",
                    "attribute '\(key.name)' is \(key.type) here but \(first.type) at \(first.path); "
                        + "an attribute must have one type in every key schema")
            }
        } else {
            keyTypes[ExactString(key.name)] = (key.type, path)
        }
    }

    /// A key schema's sort key must not be its partition key.
    mutating func checkDistinct(
        _ sortKey: KeyAttribute, from partitionKey: KeyAttribute, at path: String, partitionKeyPath: String
    ) {
        if !sortKey.name.isEmpty, sortKey.name.hasSameBytes(as: partitionKey.name) {
            report(
                "\(path).name",
                "sort key '\(sortKey.name)' is also the partition key (\(partitionKeyPath)); they must differ"
            )
        }
    }

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            && (isASCIIAlphanumeric(UInt8(scalar.value)) || scalar == "_" || scalar == "-" || scalar == ".")
    }

    /// A character as a message shows it: `' '`, or `U+00E9` when it might not print clearly.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7F { return "'\(Character(scalar))'" }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

import JSON

extension TableSchema {
    /// The members of CreateTable that ImportTable's `TableCreationParameters` also takes (AWS API
    /// reference, TableCreationParameters): the rest (TTL, streams, tags, deletion protection, table
    /// class, warm throughput on the table, the resource policy) is set after the import, as apply sets
    /// it on an existing table.
    public static let importTableCreationMembers: [String] = [
        "TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "ProvisionedThroughput",
        "OnDemandThroughput", "SSESpecification", "GlobalSecondaryIndexes",
    ]

    /// ImportTable's `TableCreationParameters` for this schema: ``createTableRequest()`` without what
    /// ImportTable cannot create. Local secondary indexes are among that and cannot be added later
    /// (``importTableProblem``).
    public func importTableCreationParameters() -> JSONValue {
        guard case .object(let request) = createTableRequest() else { return createTableRequest() }
        return .object(JSONObject(request.filter { Self.importTableCreationMembers.contains($0.key) }))
    }

    /// Why DynamoDB's ImportTable cannot create this table, or nil: it takes no local secondary
    /// indexes, and those can only be created with the table.
    public var importTableProblem: String? {
        guard !localSecondaryIndexes.isEmpty else { return nil }
        return "ImportTable cannot create local secondary indexes ("
            + localSecondaryIndexes.map(\.name).joined(separator: ", ")
            + "), and they can only be created with the table; copy through this machine instead"
    }
}

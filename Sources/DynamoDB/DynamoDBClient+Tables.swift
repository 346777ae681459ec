import DynamoDBModel
import JSON

// Control-plane operations on tables.
extension DynamoDBClient {
    /// CreateTable with a full request body (the Schema module renders one); returns the new table's
    /// description, usually `CREATING`.
    public func createTable(_ request: JSONObject) async throws(DynamoDBError) -> TableDescription {
        let table = request["TableName"]?.stringValue
        let answer = try await send("CreateTable", request, tableName: table)
        return try decode("CreateTable") { () throws(ValueDecodingError) in
            try TableDescription(json: try JSONReader(answer).required("TableDescription").object())
        }
    }

    /// DescribeTable. A missing table is a `ServiceError` with code `ResourceNotFoundException`.
    public func describeTable(_ tableName: String) async throws(DynamoDBError) -> TableDescription {
        let answer = try await send("DescribeTable", ["TableName": .string(tableName)], tableName: tableName)
        return try decode("DescribeTable") { () throws(ValueDecodingError) in
            try TableDescription(json: try JSONReader(answer).required("Table").object(), path: "Table")
        }
    }

    /// UpdateTable with a full request body (one GSI change, billing, capacity, stream, deletion
    /// protection, ...).
    public func updateTable(_ request: JSONObject) async throws(DynamoDBError) -> TableDescription {
        let table = request["TableName"]?.stringValue
        let answer = try await send("UpdateTable", request, tableName: table)
        return try decode("UpdateTable") { () throws(ValueDecodingError) in
            try TableDescription(json: try JSONReader(answer).required("TableDescription").object())
        }
    }

    /// DeleteTable; returns the description, usually `DELETING`.
    @discardableResult
    public func deleteTable(_ tableName: String) async throws(DynamoDBError) -> TableDescription {
        let answer = try await send("DeleteTable", ["TableName": .string(tableName)], tableName: tableName)
        return try decode("DeleteTable") { () throws(ValueDecodingError) in
            try TableDescription(json: try JSONReader(answer).required("TableDescription").object())
        }
    }

    /// Every table name of the account and region, following all pages; `pageSize` (1 to 100) sets
    /// ListTables' `Limit`.
    public func listTables(pageSize: Int? = nil) async throws(DynamoDBError) -> [String] {
        var names: [String] = []
        var start: String?
        repeat {
            var request: JSONObject = [:]
            if let pageSize { request["Limit"] = JSONValue(pageSize) }
            if let start { request["ExclusiveStartTableName"] = .string(start) }
            let answer = try await send("ListTables", request)
            let page = try decode("ListTables") { () throws(ValueDecodingError) in
                let reader = JSONReader(answer)
                let names = try (reader.optional("TableNames")?.array() ?? []).map {
                    (name) throws(ValueDecodingError) in try name.string()
                }
                return (names, try reader.optionalString("LastEvaluatedTableName"))
            }
            names += page.0
            start = page.1
        } while start != nil
        return names
    }

    /// Runs a decoder, turning its error into ``DynamoDBError/invalidResponse(operation:problem:)``.
    func decode<T>(
        _ operation: String, _ body: () throws(ValueDecodingError) -> T
    ) throws(DynamoDBError) -> T {
        do {
            return try body()
        } catch {
            throw .invalidResponse(operation: operation, problem: error)
        }
    }
}

import JSON

/// What each DynamoDB operation may do, in one place: the read-only client's gate
/// (``DynamoDBAccess``) decides from it, and the test that walks it checks `iam`'s policy against it,
/// so the two cannot drift.
///
/// An operation this list does not name is treated as a write: a read-only client fails closed.
public enum DynamoDBOperation {
    /// Operations that change nothing (DynamoDB's Describe, Get, List, Query and Scan families).
    public static let reading: Set<String> = [
        "BatchGetItem", "DescribeBackup", "DescribeContinuousBackups", "DescribeContributorInsights",
        "DescribeEndpoints", "DescribeExport", "DescribeGlobalTable", "DescribeGlobalTableSettings",
        "DescribeImport", "DescribeKinesisStreamingDestination", "DescribeLimits", "DescribeTable",
        "DescribeTableReplicaAutoScaling", "DescribeTimeToLive", "GetItem", "GetResourcePolicy",
        "ListBackups", "ListContributorInsights", "ListExports", "ListGlobalTables", "ListImports",
        "ListTables", "ListTagsOfResource", "Query", "Scan", "TransactGetItems",
        // DynamoDB Streams' (`watch`).
        "DescribeStream", "GetRecords", "GetShardIterator", "ListStreams",
    ]

    /// The PartiQL operations: they read or write according to their statements.
    public static let statementOperations: Set<String> = [
        "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction",
    ]

    /// The operations this project's client sends that change something, each with the IAM actions
    /// DynamoDB authorises it by (a transaction by its parts, PartiQL by its statements' kinds).
    public static let writingActions: [String: [String]] = [
        "BatchWriteItem": ["dynamodb:BatchWriteItem"],
        "CreateTable": ["dynamodb:CreateTable"],
        "DeleteItem": ["dynamodb:DeleteItem"],
        "DeleteResourcePolicy": ["dynamodb:DeleteResourcePolicy"],
        "DeleteTable": ["dynamodb:DeleteTable"],
        "ExportTableToPointInTime": ["dynamodb:ExportTableToPointInTime"],
        "ImportTable": ["dynamodb:ImportTable"],
        "PutItem": ["dynamodb:PutItem"],
        "PutResourcePolicy": ["dynamodb:PutResourcePolicy"],
        "TagResource": ["dynamodb:TagResource"],
        "TransactWriteItems": [
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem",
        ],
        "UntagResource": ["dynamodb:UntagResource"],
        "UpdateContinuousBackups": ["dynamodb:UpdateContinuousBackups"],
        "UpdateItem": ["dynamodb:UpdateItem"],
        "UpdateTable": ["dynamodb:UpdateTable"],
        "UpdateTimeToLive": ["dynamodb:UpdateTimeToLive"],
    ]

    /// The IAM actions of the PartiQL statement kinds.
    public static let statementActions = [
        "dynamodb:PartiQLSelect", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate",
        "dynamodb:PartiQLDelete",
    ]

    /// Whether sending `operation` with `body` changes nothing: a reading operation, or PartiQL whose
    /// every statement is a SELECT. Anything else, including an operation not listed, may write.
    public static func onlyReads(_ operation: String, body: JSONObject) -> Bool {
        if reading.contains(operation) { return true }
        guard statementOperations.contains(operation) else { return false }
        var statements: [JSONValue] = []
        if let statement = body["Statement"] { statements.append(statement) }
        for list in ["Statements", "TransactStatements"] {
            for entry in body[list]?.arrayValue ?? [] {
                guard let statement = entry.objectValue?["Statement"] else { return false }
                statements.append(statement)
            }
        }
        return !statements.isEmpty
            && statements.allSatisfy { $0.stringValue.map(isSelect) ?? false }
    }

    /// Whether a PartiQL statement is a SELECT (its first word, in any case, after blanks).
    static func isSelect(_ statement: String) -> Bool {
        let word = statement.drop { $0.isWhitespace }.prefix { $0.isLetter }
        return word.lowercased() == "select"
    }
}

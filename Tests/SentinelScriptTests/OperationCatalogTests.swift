import DynamoDB
import Foundation
import JSON
import Schema
import Testing

/// The one list of what each DynamoDB operation may do (`DynamoDBOperation`) against the code that
/// sends operations and the policy `iam` prints: every operation the sources name is in the list, its
/// IAM actions are in the policy of the command that sends it, and the read-only gate fails closed.
@Suite struct OperationCatalogTests {
    /// Every operation of the DynamoDB API (2026-12), and DynamoDB Streams'.
    static let apiOperations: Set<String> = [
        "BatchExecuteStatement", "BatchGetItem", "BatchWriteItem", "CreateBackup", "CreateGlobalTable",
        "CreateTable", "DeleteBackup", "DeleteItem", "DeleteResourcePolicy", "DeleteTable", "DescribeBackup",
        "DescribeContinuousBackups", "DescribeContributorInsights", "DescribeEndpoints", "DescribeExport",
        "DescribeGlobalTable", "DescribeGlobalTableSettings", "DescribeImport",
        "DescribeKinesisStreamingDestination", "DescribeLimits", "DescribeTable",
        "DescribeTableReplicaAutoScaling", "DescribeTimeToLive", "DisableKinesisStreamingDestination",
        "EnableKinesisStreamingDestination", "ExecuteStatement", "ExecuteTransaction",
        "ExportTableToPointInTime", "GetItem", "GetResourcePolicy", "ImportTable", "ListBackups",
        "ListContributorInsights", "ListExports", "ListGlobalTables", "ListImports", "ListTables",
        "ListTagsOfResource", "PutItem", "PutResourcePolicy", "Query", "RestoreTableFromBackup",
        "RestoreTableToPointInTime", "Scan", "TagResource", "TransactGetItems", "TransactWriteItems",
        "UntagResource", "UpdateContinuousBackups", "UpdateContributorInsights", "UpdateGlobalTable",
        "UpdateGlobalTableSettings", "UpdateItem", "UpdateKinesisStreamingDestination", "UpdateTable",
        "UpdateTableReplicaAutoScaling", "UpdateTimeToLive", "DescribeStream", "GetRecords",
        "GetShardIterator", "ListStreams",
    ]

    /// Operations `migrate --via` sends, whose permissions docs/cli.md lists with the S3 engine's
    /// rather than in `iam`'s table policy (they act on exports and imports, not on one table's items).
    static let migrationOnly: Set<String> = [
        "ExportTableToPointInTime", "ImportTable", "DescribeExport", "DescribeImport",
    ]

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The DynamoDB operation names the sources write as string literals: every operation the client,
    /// the provisioner and the script functions can send is named so somewhere.
    static func operationsNamedInSources() throws -> Set<String> {
        var found: Set<String> = []
        for module in ["DynamoDB", "Provisioning", "SentinelScript"] {
            let directory = repositoryRoot.appendingPathComponent("Sources/\(module)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            // The catalog itself names every operation it knows; the senders are the rest.
            for file in files where file.hasSuffix(".swift") && file != "DynamoDBOperation.swift" {
                let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                for operation in apiOperations where text.contains("\"\(operation)\"") {
                    found.insert(operation)
                }
            }
        }
        return found
    }

    @Test func everyOperationTheSourcesSendIsInTheCatalog() throws {
        let sent = try Self.operationsNamedInSources()
        #expect(sent.count > 20, "the scan found too few operations: \(sent.sorted())")
        let catalogued =
            DynamoDBOperation.reading.union(DynamoDBOperation.writingActions.keys)
            .union(DynamoDBOperation.statementOperations)
        for operation in sent.sorted() {
            #expect(catalogued.contains(operation), "\(operation) is sent but not in DynamoDBOperation")
        }
    }

    @Test func everyOperationTheSourcesSendIsInIAMsPolicy() throws {
        let policy =
            IAMPolicy.provisioningActions + IAMPolicy.resourcePolicyActions
            + IAMPolicy.operationsActions + IAMPolicy.administrationActions + IAMPolicy.listingActions
            + IAMPolicy.streamActions + IAMPolicy.quotaActions
        for operation in try Self.operationsNamedInSources().sorted()
        where !Self.migrationOnly.contains(operation) {
            let actions: [String]
            if let writing = DynamoDBOperation.writingActions[operation] {
                actions = writing
            } else if DynamoDBOperation.statementOperations.contains(operation) {
                actions = DynamoDBOperation.statementActions
            } else if operation == "TransactGetItems" {
                actions = ["dynamodb:GetItem"]  // authorised by its parts
            } else {
                actions = ["dynamodb:\(operation)"]
            }
            for action in actions {
                #expect(policy.contains(action), "\(operation) needs \(action), which iam leaves out")
            }
        }
    }

    @Test func readingAndWritingNeverOverlapAndEveryWriterIsAWriter() {
        #expect(DynamoDBOperation.reading.isDisjoint(with: DynamoDBOperation.writingActions.keys))
        #expect(DynamoDBOperation.reading.isSubset(of: Self.apiOperations))
        let writingPrefixes = [
            "Create", "Delete", "Update", "Put", "Tag", "Untag", "Restore", "Enable", "Disable", "Export",
            "Import", "BatchWrite", "TransactWrite",
        ]
        for operation in Self.apiOperations where writingPrefixes.contains(where: operation.hasPrefix) {
            #expect(
                !DynamoDBOperation.onlyReads(operation, body: [:]), "\(operation) passes a read-only client")
        }
        // An operation nobody listed fails closed.
        #expect(!DynamoDBOperation.onlyReads("FutureOperation", body: [:]))
    }

    @Test func partiQLReadsOnlyWhenEveryStatementIsASelect() {
        func body(_ statements: [String], key: String) -> JSONObject {
            [key: .array(statements.map { .object(["Statement": .string($0)]) })]
        }
        #expect(DynamoDBOperation.onlyReads("ExecuteStatement", body: ["Statement": "  select * from t"]))
        #expect(!DynamoDBOperation.onlyReads("ExecuteStatement", body: ["Statement": "DELETE FROM t"]))
        #expect(!DynamoDBOperation.onlyReads("ExecuteStatement", body: ["Statement": "selectx"]))
        #expect(!DynamoDBOperation.onlyReads("ExecuteStatement", body: [:]))
        #expect(
            DynamoDBOperation.onlyReads(
                "BatchExecuteStatement",
                body: body(["SELECT a FROM t", "SELECT b FROM u"], key: "Statements")))
        #expect(
            !DynamoDBOperation.onlyReads(
                "BatchExecuteStatement",
                body: body(["SELECT a FROM t", "UPDATE t SET a=1"], key: "Statements")))
        #expect(
            !DynamoDBOperation.onlyReads(
                "ExecuteTransaction",
                body: body(["SELECT a FROM t", "INSERT INTO t VALUE {}"], key: "TransactStatements")))
    }

    @Test func aReadOnlyAccessRefusesNamingTheHolderOperationAndTable() {
        let access = DynamoDBAccess.readOnly(holder: "plan")
        #expect(throws: Never.self) { try access.permit("DescribeTable", body: [:], tableName: "t") }
        do {
            try access.permit("DeleteTable", body: [:], tableName: "victim")
            Issue.record("DeleteTable passed a read-only client")
        } catch {
            #expect(error.description.hasPrefix("plan cannot write: DeleteTable on 'victim'"))
        }
        #expect(throws: Never.self) {
            try DynamoDBAccess.readWrite.permit("DeleteTable", body: [:], tableName: "v")
        }
    }
}

import Foundation
import Testing

/// A transaction whose answer is lost is sent again with the same idempotency token, so it is applied
/// once: shown through the delay proxy, which drops the first answer after the server acted and keeps
/// DynamoDB's ClientRequestToken rule (moto ignores the token). Checked with boto3.
@Suite struct TransactionRetryTests {
    @Test func aTransactionRetriedAfterALostAnswerIsAppliedOnce() throws {
        let table = "txretry-\(UUID().uuidString.prefix(8).lowercased())"
        try ExportImportTests.createEmptyTable(table)
        _ = try LocalDynamoDB.boto3(
            "ddb.put_item(TableName='\(table)', Item={'id': {'S': 'counter'}, 'n': {'N': '0'}})")
        let proxy = try DelayProxy(delay: 0, arguments: ["--reset-after", "TransactWriteItems:1"])
        let directory = NSTemporaryDirectory() + "txretry-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try """
        local T = ...
        print(sentinel.db.transact {
          { update = T, key = { id = "counter" }, add = { n = 1 } },
          { put = T, item = { id = "audit-1", what = "counted" }, exists = false },
        })
        """.write(toFile: directory + "/count.lua", atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(
            ["run", "--endpoint-url", proxy.endpoint, "count.lua", table], in: directory,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "true\n")
        // Two attempts reached the proxy: the first was applied and its answer dropped.
        #expect(proxy.requests.filter { $0.operation == "TransactWriteItems" }.count == 2)
        let counter = try LocalDynamoDB.boto3(
            """
            item = ddb.get_item(TableName='\(table)', Key={'id': {'S': 'counter'}}, ConsistentRead=True)['Item']
            print(item['n']['N'])
            """)
        #expect(counter == "1\n")
    }

    @Test func theSameTokenWithOtherActionsIsRefused() throws {
        let table = "txtoken-\(UUID().uuidString.prefix(8).lowercased())"
        try ExportImportTests.createEmptyTable(table)
        let proxy = try DelayProxy(delay: 0)
        let directory = NSTemporaryDirectory() + "txtoken-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try """
        local T = ...
        local db = sentinel.db
        assert(db.transact({ { put = T, item = { id = "a" } } }, { token = "job-42" }))
        -- the same call again: answered as the first, not applied twice
        assert(db.transact({ { put = T, item = { id = "a" } } }, { token = "job-42" }))
        local ok, err = pcall(db.transact, { { put = T, item = { id = "b" } } }, { token = "job-42" })
        print(ok, err)
        """.write(toFile: directory + "/token.lua", atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(
            ["run", "--endpoint-url", proxy.endpoint, "token.lua", table], in: directory,
            environment: LocalDynamoDB.clientEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("false"))
        #expect(result.stdout.contains("IdempotentParameterMismatchException"))
        let ids = try LocalDynamoDB.boto3(
            """
            items = ddb.scan(TableName='\(table)', ConsistentRead=True)['Items']
            print(','.join(sorted(i['id']['S'] for i in items)))
            """)
        #expect(ids == "a\n")
    }
}

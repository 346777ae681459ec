import DynamoDB
import JSON
import Synchronization
import Testing

/// Capacity budgets: every request under one asks for ConsumedCapacity and is charged what DynamoDB
/// reports; a request waits while the bucket is in debt; throttling slows the bucket; a percentage of
/// a table's capacity. No assertion on how long anything takes: only on what was asked and counted.
@Suite struct CapacityBudgetTests {
    @Test func scanPagesAskForConsumedCapacityAndAreChargedIt() async throws {
        let first =
            #"{"Items":[{"id":{"S":"a"}}],"LastEvaluatedKey":{"id":{"S":"a"}},"ConsumedCapacity":{"TableName":"t","CapacityUnits":2.5}}"#
        let last = #"{"Items":[{"id":{"S":"b"}}],"ConsumedCapacity":{"TableName":"t","CapacityUnits":1.5}}"#
        try await RetryTests.withServer(answering: [.json(200, first), .json(200, last)]) { server, client in
            let budget = CapacityBudget(readUnits: 1_000_000, writeUnits: nil)
            let items = try await client.scan(ScanRequest(tableName: "t")).limited(by: budget).allItems()
            #expect(items.count == 2)
            #expect(server.requests.count == 2)
            for request in server.requests {
                #expect(request.bodyText.contains(#""ReturnConsumedCapacity":"TOTAL""#))
            }
            let usage = try #require(budget.usage(.read))
            #expect(usage.consumed == 4)
            #expect(usage.requests == 2)
            #expect(budget.usage(.write) == nil)
        }
    }

    @Test func withoutABudgetNothingIsAskedFor() async throws {
        try await RetryTests.withServer(answering: [.json(200, #"{"Items":[]}"#)]) { server, client in
            _ = try await client.scan(ScanRequest(tableName: "t")).allItems()
            #expect(server.requests.first?.bodyText.contains("ReturnConsumedCapacity") == false)
        }
    }

    @Test func batchWritesAreChargedTheirListAndUnprocessedItemsCountAsThrottling() async throws {
        let unprocessed =
            #"{"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"b"}}}}]},"ConsumedCapacity":[{"TableName":"t","CapacityUnits":1}]}"#
        let done = #"{"UnprocessedItems":{},"ConsumedCapacity":[{"TableName":"t","CapacityUnits":1}]}"#
        try await RetryTests.withServer(answering: [.json(200, unprocessed), .json(200, done)]) {
            server, client in
            let budget = CapacityBudget(readUnits: nil, writeUnits: 1_000_000)
            try await client.batchWriteItem(tableName: "t", puts: [["id": "a"], ["id": "b"]], budget: budget)
            #expect(server.requests.allSatisfy { $0.bodyText.contains(#""ReturnConsumedCapacity":"TOTAL""#) })
            let usage = try #require(budget.usage(.write))
            #expect(usage.consumed == 2)
            #expect(usage.throttles == 1)
        }
    }

    @Test func aThrottlingErrorRetriedSlowsTheBudget() async throws {
        let throttled =
            #"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}"#
        try await RetryTests.withServer(answering: [.json(400, throttled), .json(200, #"{"Items":[]}"#)]) {
            server, client in
            let budget = CapacityBudget(readUnits: 1_000_000, writeUnits: nil)
            _ = try await client.scan(ScanRequest(tableName: "t")).limited(by: budget).allItems()
            #expect(server.requests.count == 2)
            #expect(try #require(budget.usage(.read)).throttles == 1)
        }
    }

    /// No assertion on how long: a request waits while the bucket is in debt (a million units on a budget
    /// of one a second), says so, and its wait ends when its task is cancelled.
    @Test func aRequestWaitsWhileTheBucketIsInDebtUntilCancelled() async throws {
        let waits = WaitCounter()
        let budget = CapacityBudget(readUnits: 1, writeUnits: nil, onWait: { waits.count() })
        // Not in debt: admitted at once.
        try await budget.admit(.read)
        #expect(budget.usage(.read)?.waits == 0)
        budget.consumed(.read, units: 1_000_000)
        let task = Task { try await budget.admit(.read) }
        while waits.value == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(budget.usage(.read)?.waiting == true)
        task.cancel()
        await #expect(throws: DynamoDBError.self) { try await task.value }
        #expect(budget.usage(.read)?.waits == 1)
        #expect(budget.usage(.read)?.waiting == false)
        #expect(budget.usage(.read)?.consumed == 1_000_000)
        // A kind without a budget never waits.
        try await budget.admit(.write)
    }

    @Test func aPercentageOfProvisionedOrOnDemandCapacity() throws {
        func table(_ json: String) throws -> TableDescription {
            guard case .object(let object) = try JSONParser().parse(json) else { throw CancellationError() }
            return try TableDescription(json: object)
        }
        let provisioned = try table(
            #"{"TableName":"p","BillingModeSummary":{"BillingMode":"PROVISIONED"},"ProvisionedThroughput":{"ReadCapacityUnits":1000,"WriteCapacityUnits":400}}"#
        )
        let share = try CapacityBudget.share(percent: 25, of: provisioned, read: true, write: true)
        #expect(share.read == 250 && share.write == 100)
        #expect(try CapacityBudget.share(percent: 25, of: provisioned, read: false, write: true).read == nil)
        let limited = try table(
            #"{"TableName":"o","BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},"OnDemandThroughput":{"MaxReadRequestUnits":200,"MaxWriteRequestUnits":-1}}"#
        )
        #expect(try CapacityBudget.share(percent: 50, of: limited, read: true, write: false).read == 100)
        #expect {
            _ = try CapacityBudget.share(percent: 50, of: limited, read: false, write: true)
        } throws: { error in
            "\(error)".contains("table 'o' is on-demand with no maximum write throughput")
                && "\(error)".contains("give --max-wcu UNITS instead")
        }
    }
}

/// Counts the waits a budget reports.
private final class WaitCounter: Sendable {
    private let counter = Mutex(0)
    func count() { counter.withLock { $0 += 1 } }
    var value: Int { counter.withLock { $0 } }
}

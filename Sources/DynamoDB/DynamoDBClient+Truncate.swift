import DynamoDBModel
import Synchronization

// Emptying a table of its items while keeping the table (`sentinel-tables truncate`).
extension DynamoDBClient {
    /// Deletes every item of `tableName`: a parallel scan of `segments` that reads only the key
    /// attributes, each page's keys deleted 25 per BatchWriteItem (unprocessed ones retried) before the
    /// next page is read. With `dryRun`, nothing is deleted: the items are counted. `capacity` keeps
    /// the scan's reads and the deletes' writes within its budget. `progress` is told the items deleted
    /// (or counted) so far and the table's `ItemCount`. Returns how many; an item written while the
    /// scan runs may be left, as with any scan.
    public func truncate(
        tableName: String, segments: Int = 4, dryRun: Bool = false, capacity: CapacityBudget? = nil,
        progress: @escaping @Sendable (_ done: Int, _ estimated: Int?) -> Void = { _, _ in }
    ) async throws(DynamoDBError) -> Int {
        let description = try await describeTable(tableName)
        let keyNames = description.keySchema.map(\.attributeName)
        // Keys only: placeholders, since key names may be reserved words (`status`, `user`).
        var names: [String: String] = [:]
        for (offset, name) in keyNames.enumerated() { names["#k\(offset)"] = name }
        var request = ScanRequest(tableName: tableName)
        request.projectionExpression = names.keys.sorted().joined(separator: ", ")
        request.expressionAttributeNames = names
        let done = Atomic<Int>(0)
        let estimated = description.itemCount
        let client = self
        let scans = parallelScan(request, totalSegments: max(1, segments)).map { $0.limited(by: capacity) }
        _ = try await ParallelScan.eachSegment(scans) { (pages) async throws(DynamoDBError) in
            var iterator = pages.makeAsyncIterator()
            while let page = try await iterator.next() {
                if !dryRun, !page.items.isEmpty {
                    try await client.batchWriteItem(
                        tableName: tableName, deleteKeys: page.items, budget: capacity)
                }
                progress(done.add(page.items.count, ordering: .relaxed).newValue, estimated)
            }
        }
        return done.load(ordering: .relaxed)
    }
}

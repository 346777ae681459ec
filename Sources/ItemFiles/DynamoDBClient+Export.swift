import DynamoDB
import DynamoDBModel
import FileAccess
import Synchronization

/// What an export wrote.
public struct ExportSummary: Sendable, Equatable {
    /// Items written to the file.
    public var items: Int
    /// The table's `ItemCount` when the export began (DynamoDB updates it about every six hours).
    public var estimatedItems: Int?
}

// Export: every item of a table to a file of items, streamed page by page.
extension DynamoDBClient {

    /// Writes every item of `tableName` to `path` (`-` for standard output) through `root` in `format`, one line per
    /// item, reading with a parallel scan of `segments` (at most
    /// `ParallelScan.concurrentSegments` at once). Memory holds at most a page (DynamoDB's 1 MB) per running segment.
    /// The file appears whole or not at all: on any failure, including cancellation, it is not
    /// created (an existing one is left as it was) and the error is thrown. Unless `replace` is true,
    /// an existing file is an error. The destination's directory is opened through `root` (beneath its
    /// directory when it is restricted) before the table is read, and the file is created and renamed in
    /// that directory: nothing swapped in meanwhile can redirect it. `progress` is told the items written so far and the table's
    /// `ItemCount`, after each page. Each page, the lines made of it and the lines waiting to be written
    /// are held from `memory` (the caller's budget): what it cannot hold stops the export with its
    /// error, and no file is created. With `capacity`, every Scan waits for its read budget.
    public func exportItems(
        tableName: String, to path: String, in root: FileRoot = .unrestricted,
        format: ItemFileFormat = .dynamoDBJSON, segments: Int = 1,
        consistentRead: Bool = false, replace: Bool = false, memory: MemoryBudget = .unlimited,
        capacity: CapacityBudget? = nil,
        progress: @escaping @Sendable (_ written: Int, _ estimated: Int?) -> Void = { _, _ in }
    ) async throws(DynamoDBError) -> ExportSummary {
        let writer = Mutex(try ItemFileWriter(path: path, replace: replace, in: root, memory: memory))
        let description: TableDescription
        do throws(DynamoDBError) {
            description = try await describeTable(tableName)
        } catch {
            writer.withLock { $0.discard() }
            throw error
        }
        let estimated = description.itemCount
        let written = Atomic<Int>(0)
        var request = ScanRequest(tableName: tableName)
        request.consistentRead = consistentRead
        // DynamoDB's own 1 MB pages: the fewest requests, and a bounded page per running segment.
        do throws(DynamoDBError) {
            // One read budget shared by every segment (``CapacityBudget``).
            let scans = parallelScan(request, totalSegments: segments).map { $0.limited(by: capacity) }
            _ = try await ParallelScan.eachSegment(scans) {
                (pages) async throws(DynamoDBError) in
                var iterator = pages.makeAsyncIterator()
                let pageHeld = memory.hold()
                while let page = try await iterator.next() {
                    // The page's items and the response they came in.
                    let pageBytes = memory.isLimited ? ItemSize.heldInMemory(page.items) : 0
                    try pageHeld.set(pageBytes, for: "reading a page of \(tableName)")
                    // Lines are made in the segment's task, in parallel; only the write is one at a time.
                    var bytes: [UInt8] = []
                    for item in page.items {
                        let line = format.line(item)
                        try pageHeld.set(
                            pageBytes + bytes.count + line.count + 1,
                            for: "writing a page of \(tableName) to \(path)")
                        bytes += line
                        bytes.append(UInt8(ascii: "\n"))
                    }
                    try writer.withLock { (writer) throws(DynamoDBError) in try writer.write(bytes: bytes) }
                    pageHeld.release()
                    let total = written.add(page.items.count, ordering: .relaxed).newValue
                    progress(total, estimated)
                }
            }
            try writer.withLock { (writer) throws(DynamoDBError) in try writer.commit() }
        } catch {
            writer.withLock { $0.discard() }
            throw error
        }
        return ExportSummary(items: written.load(ordering: .relaxed), estimatedItems: estimated)
    }
}

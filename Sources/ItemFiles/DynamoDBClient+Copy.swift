import DynamoDB
import DynamoDBModel
import FileAccess
import JSON
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A function that turns an item of the source table into the item to write (nil: leave it out).
/// Segments call it concurrently: a transform that must run one item at a time (a Lua function, whose
/// state has one thread) hands the items to that one place and waits (SentinelScript's
/// `LuaItemTransform`). It must give the same answer for the same item: a resumed copy and the
/// verification call it again.
public typealias ItemTransform = @Sendable (Item) async throws(DynamoDBError) -> Item?

/// What a table copy did, counted over every run of it (a resumed copy adds the earlier runs' counts).
public struct CopySummary: Sendable, Equatable {
    /// Source items read.
    public var scanned: Int
    /// Items written to the target.
    public var copied: Int
    /// Items the transform left out.
    public var leftOut: Int
    /// Segments an earlier, interrupted run had read a page of (0 when not resumed).
    public var resumedSegments: Int

    public init(scanned: Int, copied: Int, leftOut: Int, resumedSegments: Int) {
        self.scanned = scanned
        self.copied = copied
        self.leftOut = leftOut
        self.resumedSegments = resumedSegments
    }
}

/// A copy that stopped part-way: why, how far it got and how to go on.
public struct ItemCopyError: Error, Sendable, CustomStringConvertible {
    /// What stopped it.
    public var cause: DynamoDBError
    /// Items written for certain so far (by this run and any it resumed).
    public var copied: Int
    /// Where the segments' positions were saved; nil when the copy was refused before it began.
    public var checkpointDirectory: String?

    public init(cause: DynamoDBError, copied: Int, checkpointDirectory: String?) {
        self.cause = cause
        self.copied = copied
        self.checkpointDirectory = checkpointDirectory
    }

    public var description: String { message(resumeWith: "resume") }

    /// The cause, and how to go on with `resumeWith` (`--resume`, `{ resume = true }`).
    public func message(resumeWith option: String) -> String {
        "\(cause)\n\(position(resumeWith: option))"
    }

    /// How far the copy got and how to go on, without the cause: what an interrupted command says
    /// (the cause of a Ctrl-C is the Ctrl-C, not the request it cancelled).
    public func position(resumeWith option: String) -> String {
        guard let checkpointDirectory else { return "nothing was copied" }
        let done =
            copied > 0
            ? "copy stopped after \(copied) items; the target holds those"
            : "copy stopped before any item was copied"
        return "\(done). Run it again with \(option) to go on (positions saved in \(checkpointDirectory))"
    }
}

/// What reading the copy back found.
public struct CopyVerification: Sendable, Equatable {
    /// Items the target holds (a Scan counting them).
    public var targetItems: Int
    /// Items the copy wrote (what the target should hold).
    public var expectedItems: Int
    /// Source items whose item in the target was read back and compared.
    public var checked: Int
    /// Keys (in the target) of items checked that the target does not hold or holds differently; at
    /// most ten.
    public var mismatches: [Item]

    /// Every item accounted for and every one checked equal.
    public var isComplete: Bool { targetItems == expectedItems && mismatches.isEmpty }
}

// Copy: every item of one table into another, through a transform, resumable.
extension DynamoDBClient {
    /// Copies every item of `source` into `target` (which must exist): a parallel scan of
    /// `segments` (at most `ParallelScan.concurrentSegments` at once), each page passed through
    /// `transform` one item at a time and written 25 per BatchWriteItem, unprocessed items retried.
    /// `source` is only read. Memory holds a page per running segment, held from `memory` (the caller's
    /// budget) with the items written from it: what it cannot hold stops the copy with its error.
    ///
    /// Before the first page every segment's starting position is saved, and after each page a segment
    /// saves its position, in a file in `checkpointDirectory` (``CopyCheckpoint``), reached through
    /// `files` (beneath its directory when it is restricted); on success the files are removed. With `resume`, each segment goes on
    /// after its last saved page (the same `segments` are needed); without it, saved positions are
    /// ignored and the copy starts from the first item. `progress` is told items copied so far (all
    /// runs) and the source's `ItemCount` (DynamoDB's estimate). `pageSize` bounds the items read per
    /// Scan page (DynamoDB's 1 MB pages when nil); smaller pages save the position more often.
    /// Saves every segment's starting position for a copy of `source` to `target`, as ``copyItems(from:to:segments:pageSize:transform:checkpointDirectory:in:resume:memory:capacity:progress:)``
    /// does before its first page: a copy stopped before any page was written (or a migration stopped
    /// while its new table was being created) can then be resumed, although its target exists by then and
    /// a fresh copy into it would be refused. They replace the positions of any earlier copy, which would
    /// otherwise be taken for this one's.
    public static func saveCopyStart(
        from source: String, to target: String, segments: Int, checkpointDirectory: String,
        in files: FileRoot = .unrestricted
    ) throws(DynamoDBError) {
        let segments = max(1, segments)
        for segment in 0..<segments {
            try CopyCheckpoint(
                source: source, target: target, segment: segment, segments: segments, nextKey: nil,
                finished: false, scanned: 0, copied: 0, leftOut: 0
            ).write(
                to: CopyCheckpoint.path(
                    directory: checkpointDirectory, source: source, target: target, segment: segment,
                    segments: segments), in: files)
        }
    }

    public func copyItems(
        from source: String, to target: String, segments: Int = 4, pageSize: Int? = nil,
        transform: ItemTransform? = nil,
        checkpointDirectory: String = ".", in files: FileRoot = .unrestricted, resume: Bool = false,
        memory: MemoryBudget = .unlimited, capacity: CapacityBudget? = nil,
        progress: @escaping @Sendable (_ copied: Int, _ estimated: Int?) -> Void = { _, _ in }
    ) async throws(ItemCopyError) -> CopySummary {
        let segments = max(1, segments)
        let sourceKeys: [String]
        let targetKeys: [String: String]
        let estimated: Int?
        var savedPositions: [CopyCheckpoint?] = []
        @Sendable func path(_ segment: Int) -> String {
            CopyCheckpoint.path(
                directory: checkpointDirectory, source: source, target: target, segment: segment,
                segments: segments)
        }
        do throws(DynamoDBError) {
            guard source != target else {
                throw .input("the source and the target are the same table")
            }
            let sourceDescription = try await describeTable(source)
            sourceKeys = sourceDescription.keySchema.map(\.attributeName)
            estimated = sourceDescription.itemCount
            targetKeys = Self.keyTypes(try await describeTable(target))
            if resume {
                savedPositions = try (0..<segments).map { (segment) throws(DynamoDBError) in
                    try CopyCheckpoint.read(at: path(segment), in: files)
                }
                for checkpoint in savedPositions.compactMap({ $0 })
                where checkpoint.source != source || checkpoint.target != target {
                    throw .configuration(
                        "the checkpoint of segment \(checkpoint.segment) is of a copy of \(checkpoint.source) to "
                            + "\(checkpoint.target); start again without resume")
                }
                guard savedPositions.contains(where: { $0 != nil }) else {
                    throw .configuration(
                        "nothing to resume: no saved position for \(segments) segments in \(checkpointDirectory) "
                            + "(resume needs the same number of segments as the interrupted copy)")
                }
            } else {
                savedPositions = Array(repeating: nil, count: segments)
            }
        } catch {
            throw ItemCopyError(cause: error, copied: 0, checkpointDirectory: nil)
        }

        if !resume {
            do throws(DynamoDBError) {
                try Self.saveCopyStart(
                    from: source, to: target, segments: segments, checkpointDirectory: checkpointDirectory,
                    in: files)
            } catch {
                throw ItemCopyError(cause: error, copied: 0, checkpointDirectory: nil)
            }
        }
        let saved = savedPositions
        let copiedSoFar = Atomic<Int>(saved.reduce(0) { $0 + ($1?.copied ?? 0) })
        let client = self
        let writeKeys = targetKeys.keys.sorted()
        let finished: [CopyCheckpoint]
        do throws(DynamoDBError) {
            finished = try await ParallelScan.eachSegment(count: segments) {
                (segment) async throws(DynamoDBError) -> CopyCheckpoint in
                var checkpoint =
                    saved[segment]
                    ?? CopyCheckpoint(
                        source: source, target: target, segment: segment, segments: segments, nextKey: nil,
                        finished: false, scanned: 0, copied: 0, leftOut: 0)
                guard !checkpoint.finished else { return checkpoint }
                var request = ScanRequest(tableName: source, segment: segment, totalSegments: segments)
                request.exclusiveStartKey = checkpoint.nextKey
                request.pageSize = pageSize
                // The source's reads and the target's writes, each from one budget shared by the segments.
                var pages = client.scan(request).limited(by: capacity).makeAsyncIterator()
                let pageHeld = memory.hold()
                while let page = try await pages.next() {
                    // The page's items and the response they came in, then the items written and their
                    // request bodies.
                    let pageBytes = memory.isLimited ? ItemSize.heldInMemory(page.items) : 0
                    try pageHeld.set(pageBytes, for: "reading a page of \(source)")
                    let puts = try await Self.transformed(
                        page.items, transform: transform, sourceKeys: sourceKeys, targetKeys: targetKeys)
                    if memory.isLimited {
                        let putBytes = ItemSize.heldInMemory(puts)
                        try pageHeld.set(pageBytes + putBytes, for: "writing a page to \(target)")
                    }
                    if !puts.isEmpty {
                        try await client.batchWriteItem(
                            tableName: target, puts: puts, overwriteByKeys: writeKeys, budget: capacity)
                    }
                    checkpoint.scanned += page.items.count
                    checkpoint.copied += puts.count
                    checkpoint.leftOut += page.items.count - puts.count
                    checkpoint.nextKey = page.lastEvaluatedKey
                    checkpoint.finished = page.lastEvaluatedKey == nil
                    try checkpoint.write(to: path(segment), in: files)
                    pageHeld.release()
                    progress(copiedSoFar.add(puts.count, ordering: .relaxed).newValue, estimated)
                }
                return checkpoint
            }
        } catch {
            throw ItemCopyError(
                cause: error, copied: copiedSoFar.load(ordering: .relaxed),
                checkpointDirectory: checkpointDirectory)
        }
        for segment in 0..<segments { try? files.remove(path(segment)) }
        return CopySummary(
            scanned: finished.reduce(0) { $0 + $1.scanned }, copied: finished.reduce(0) { $0 + $1.copied },
            leftOut: finished.reduce(0) { $0 + $1.leftOut },
            resumedSegments: saved.compactMap { $0 }.filter { $0.scanned > 0 || $0.finished }.count)
    }

    /// `items` through `transform`, each checked to hold the target's key attributes with their
    /// types; an error names the source item's key.
    static func transformed(
        _ items: [Item], transform: ItemTransform?, sourceKeys: [String], targetKeys: [String: String]
    ) async throws(DynamoDBError) -> [Item] {
        var puts: [Item] = []
        puts.reserveCapacity(items.count)
        let sortedTargetKeys = targetKeys.sorted { $0.key < $1.key }
        for item in items {
            func failure(_ message: String) -> DynamoDBError {
                let key = AttributeValue.json(AttributeValue.canonicalKey(of: item, keyNames: sourceKeys))
                return .input(
                    "the item with key \(JSONWriter(style: .compact).string(from: key)): \(message)")
            }
            let output: Item?
            if let transform {
                do throws(DynamoDBError) {
                    output = try await transform(item)
                } catch .input(let message) {
                    throw failure(message)
                } catch {
                    throw failure("\(error)")
                }
            } else {
                output = item
            }
            guard let output else { continue }
            if let mismatch = KeyAttributeMismatch.first(in: output, keys: sortedTargetKeys) {
                throw failure(
                    mismatch.found.map {
                        "the new item's key attribute '\(mismatch.name)' must be of type \(mismatch.expected), not \($0)"
                    } ?? "the new item has no key attribute '\(mismatch.name)'")
            }
            puts.append(output)
        }
        return puts
    }

    /// Reads the copy back: counts the target's items (expecting `expected`), and scans `source`
    /// again, passing every `every`-th item of each segment through `transform` and reading its item
    /// from the target (strongly consistent) to compare. `every` 1 checks every item. Only reads.
    /// `pageSize` bounds the items of each Scan page, as the copy's does (DynamoDB's 1 MB pages when nil).
    /// With `capacity`, both scans keep to its read budget (the sampled BatchGetItem reads are few).
    public func verifyCopy(
        from source: String, to target: String, expected: Int, transform: ItemTransform? = nil,
        every: Int = 1,
        segments: Int = 4, pageSize: Int? = nil, capacity: CapacityBudget? = nil
    ) async throws(DynamoDBError) -> CopyVerification {
        let segments = max(1, segments)
        let sourceKeys = try await describeTable(source).keySchema.map(\.attributeName)
        let targetKeys = Self.keyTypes(try await describeTable(target))
        let keyNames = targetKeys.keys.sorted()
        var counting = ScanRequest(tableName: target, consistentRead: true)
        counting.select = "COUNT"
        counting.pageSize = pageSize
        var reading = ScanRequest(tableName: source)
        reading.pageSize = pageSize
        let counts = try await ParallelScan.eachSegment(
            parallelScan(counting, totalSegments: segments).map { $0.limited(by: capacity) }
        ) {
            (pages) async throws(DynamoDBError) -> Int in
            var count = 0
            var iterator = pages.makeAsyncIterator()
            while let page = try await iterator.next() { count += page.count }
            return count
        }
        let client = self
        let every = max(1, every)
        let checks = try await ParallelScan.eachSegment(
            parallelScan(reading, totalSegments: segments).map { $0.limited(by: capacity) }
        ) { (pages) async throws(DynamoDBError) -> (checked: Int, mismatches: [Item]) in
            var (position, checked, mismatches) = (0, 0, [Item]())
            var iterator = pages.makeAsyncIterator()
            while let page = try await iterator.next() {
                var sample: [Item] = []
                for item in page.items {
                    if position % every == 0 { sample.append(item) }
                    position += 1
                }
                let expectedItems = try await Self.transformed(
                    sample, transform: transform, sourceKeys: sourceKeys, targetKeys: targetKeys)
                guard !expectedItems.isEmpty else { continue }
                let keys = expectedItems.map { AttributeValue.canonicalKey(of: $0, keyNames: keyNames) }
                var found: [Item: Item] = [:]
                for item in try await client.batchGetItem(tableName: target, keys: keys, consistentRead: true)
                {
                    found[AttributeValue.canonicalKey(of: item, keyNames: keyNames)] = item
                }
                for (key, item) in zip(keys, expectedItems) {
                    checked += 1
                    if found[key].map({ Self.sameItem($0, item) }) != true, mismatches.count < 10 {
                        mismatches.append(key)
                    }
                }
            }
            return (checked, mismatches)
        }
        return CopyVerification(
            targetItems: counts.reduce(0, +), expectedItems: expected,
            checked: checks.reduce(0) { $0 + $1.checked },
            mismatches: Array(checks.flatMap(\.mismatches).prefix(10)))
    }

    /// Whether DynamoDB holds `a` and `b` equal: numbers by value, sets in any order.
    static func sameItem(_ a: Item, _ b: Item) -> Bool {
        func normal(_ value: AttributeValue) -> AttributeValue {
            switch value.canonical {
            case .stringSet(let strings): .stringSet(strings.sorted())
            case .numberSet(let numbers): .numberSet(numbers.sorted { $0.text < $1.text })
            case .binarySet(let values): .binarySet(values.sorted { $0.lexicographicallyPrecedes($1) })
            case .list(let values): .list(values.map(normal))
            case .map(let members): .map(members.mapValues(normal))
            case let other: other
            }
        }
        return a.mapValues(normal) == b.mapValues(normal)
    }

    /// The key attributes of a table and their types (`S`, `N`, `B`).
    static func keyTypes(_ description: TableDescription) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: description.keySchema.map { key in
                (
                    key.attributeName,
                    description.attributeDefinitions.first { $0.attributeName == key.attributeName }?
                        .attributeType ?? "S"
                )
            })
    }
}

import DynamoDBModel

/// Follows a table's DynamoDB stream: every shard is read in order, a parent shard to its end before
/// any of its children (a split or a roll-over closes a shard and opens children that carry on its
/// keys), so each item's changes arrive in the order they were made.
///
/// Each ``nextRound()`` reads one page from every shard being followed and returns their records; a
/// shard read to its end is replaced by its children, found with DescribeStream. The caller decides
/// how long to wait between rounds that found nothing (``StreamRound/caughtUp``).
public actor StreamFollower {
    /// Where following starts.
    public enum Start: String, Sendable, CaseIterable {
        /// Every record the stream still holds (the last 24 hours), then new ones.
        case trimHorizon = "trim-horizon"
        /// Only changes made from now on.
        case latest
    }

    /// What one round read.
    public struct StreamRound: Sendable {
        public var records: [StreamRecord]
        /// No shard had a record: the follower has read everything there was when it asked.
        public var caughtUp: Bool
    }

    private let client: DynamoDBClient
    public nonisolated let tableName: String
    public nonisolated let streamARN: String
    /// `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or `NEW_AND_OLD_IMAGES`.
    public nonisolated let viewType: String?
    private let pageSize: Int?

    /// A shard being read, and where its next page starts.
    private struct Reading {
        var shard: StreamDescription.Shard
        var iterator: String?
        var lastSequenceNumber: String?
        var start: DynamoDBClient.ShardIteratorStart
    }

    /// Shards being read, oldest first.
    private var reading: [Reading] = []
    /// Shards read to their end, or passed over (closed before a `latest` start): their children are
    /// due next.
    private var finished: Set<String> = []
    /// Every shard ever seen, so that a child is started once.
    private var seen: Set<String> = []

    private init(
        client: DynamoDBClient, tableName: String, streamARN: String, viewType: String?, pageSize: Int?
    ) {
        self.client = client
        self.tableName = tableName
        self.streamARN = streamARN
        self.viewType = viewType
        self.pageSize = pageSize
    }

    /// Finds the table's stream and the shards to start with. A table without a stream, or whose
    /// stream is off, is an `input` error that says how to turn one on.
    public static func open(
        client: DynamoDBClient, tableName: String, start: Start, pageSize: Int? = nil
    ) async throws(DynamoDBError) -> StreamFollower {
        let table = try await client.describeTable(tableName)
        guard let arn = table.latestStreamARN, table.streamSpecification?.streamEnabled == true else {
            throw .input(noStreamMessage(tableName))
        }
        let stream = try await client.describeStream(arn: arn, tableName: tableName)
        guard stream.status == "ENABLED" || stream.status == "ENABLING" else {
            throw .input(noStreamMessage(tableName))
        }
        let follower = StreamFollower(
            client: client, tableName: tableName, streamARN: arn, viewType: stream.viewType,
            pageSize: pageSize)
        await follower.begin(with: stream.shards, start: start)
        // Now, not at the first read: `latest` means from the moment `open` returns, so a change made
        // just after (a test's put, the caller's own write) is not missed.
        try await follower.acquireIterators()
        return follower
    }

    /// What a table without a stream is told.
    public static func noStreamMessage(_ tableName: String) -> String {
        """
        table '\(tableName)' has no DynamoDB stream enabled, so there are no changes to follow. \
        Enable one with `stream = "NEW_AND_OLD_IMAGES"` in its schema and `sentinel-tables apply`, or \
        `aws dynamodb update-table --table-name \(tableName) --stream-specification \
        StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES`. The view type decides what each \
        change shows: KEYS_ONLY the key alone, NEW_IMAGE the item after the change, OLD_IMAGE the \
        item before it, NEW_AND_OLD_IMAGES both (and so what changed). Only changes made after it \
        is enabled are recorded.
        """
    }

    private func begin(with shards: [StreamDescription.Shard], start: Start) {
        switch start {
        case .latest:
            // Closed shards hold only the past: pass over them, read the open ones from now on.
            for shard in shards {
                seen.insert(shard.id)
                if shard.isClosed {
                    finished.insert(shard.id)
                } else {
                    reading.append(Reading(shard: shard, start: .latest))
                }
            }
        case .trimHorizon:
            adopt(shards)
        }
    }

    /// Starts, from their oldest record, the shards whose parent is finished or gone (trimmed), each once.
    private func adopt(_ shards: [StreamDescription.Shard]) {
        let listed = Set(shards.map(\.id))
        for shard in Self.oldestFirst(shards) where !seen.contains(shard.id) {
            let parentDone = shard.parentID.map { finished.contains($0) || !listed.contains($0) } ?? true
            guard parentDone else { continue }
            seen.insert(shard.id)
            reading.append(Reading(shard: shard, start: .trimHorizon))
        }
    }

    /// Gets an iterator for each shard being read that has none.
    private func acquireIterators() async throws(DynamoDBError) {
        for index in reading.indices where reading[index].iterator == nil {
            reading[index].iterator = try await client.shardIterator(
                arn: streamARN, shardID: reading[index].shard.id, start: reading[index].start,
                tableName: tableName)
        }
    }

    /// Shards by their first sequence number (decimal text of any length: by length, then by digits).
    static func oldestFirst(_ shards: [StreamDescription.Shard]) -> [StreamDescription.Shard] {
        shards.sorted { left, right in
            let (a, b) = (left.startingSequenceNumber ?? "", right.startingSequenceNumber ?? "")
            return a.count != b.count ? a.count < b.count : a < b
        }
    }

    /// Reads one page from every shard being followed; a shard read to its end hands over to its
    /// children. Cancellation ends the round with the cancellation's error.
    public func nextRound() async throws(DynamoDBError) -> StreamRound {
        var records: [StreamRecord] = []
        var ended = false
        var index = 0
        while index < reading.count {
            var shard = reading[index]
            if shard.iterator == nil {
                shard.iterator = try await client.shardIterator(
                    arn: streamARN, shardID: shard.shard.id,
                    start: shard.lastSequenceNumber.map { .after(sequenceNumber: $0) } ?? shard.start,
                    tableName: tableName)
            }
            let page: (records: [StreamRecord], next: String?)
            do throws(DynamoDBError) {
                page = try await client.records(
                    iterator: shard.iterator ?? "", shardID: shard.shard.id, limit: pageSize,
                    tableName: tableName)
            } catch {
                // Iterators last 15 minutes: a slow callback outlives one. Ask again where we were.
                guard case .service(let failure) = error, failure.code == "ExpiredIteratorException" else {
                    throw error
                }
                shard.iterator = nil
                reading[index] = shard
                continue
            }
            records += page.records
            shard.lastSequenceNumber = page.records.last?.sequenceNumber ?? shard.lastSequenceNumber
            if let next = page.next {
                shard.iterator = next
                reading[index] = shard
                index += 1
            } else {
                // Closed and read to its end.
                finished.insert(shard.shard.id)
                reading.remove(at: index)
                ended = true
            }
        }
        if ended || reading.isEmpty {
            let stream = try await client.describeStream(arn: streamARN, tableName: tableName)
            adopt(stream.shards)
        }
        return StreamRound(records: records, caughtUp: records.isEmpty)
    }
}

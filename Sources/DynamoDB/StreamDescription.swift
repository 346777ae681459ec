import DynamoDBModel
import JSON

/// A table's stream as DescribeStream tells it, every page of shards joined.
public struct StreamDescription: Sendable, Equatable {
    /// One shard: a run of records, closed when it has an ending sequence number. A shard that split
    /// or rolled over names its parent; the parent's records come first.
    public struct Shard: Sendable, Equatable {
        public var id: String
        public var parentID: String?
        public var startingSequenceNumber: String?
        public var endingSequenceNumber: String?

        public init(
            id: String, parentID: String? = nil, startingSequenceNumber: String? = nil,
            endingSequenceNumber: String? = nil
        ) {
            self.id = id
            self.parentID = parentID
            self.startingSequenceNumber = startingSequenceNumber
            self.endingSequenceNumber = endingSequenceNumber
        }

        /// Whether DynamoDB writes no more records to it.
        public var isClosed: Bool { endingSequenceNumber != nil }
    }

    public var arn: String
    /// `ENABLING`, `ENABLED`, `DISABLING`, `DISABLED`.
    public var status: String
    /// `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE`, `NEW_AND_OLD_IMAGES`.
    public var viewType: String?
    public var shards: [Shard]

    public init(arn: String, status: String, viewType: String?, shards: [Shard]) {
        self.arn = arn
        self.status = status
        self.viewType = viewType
        self.shards = shards
    }
}

extension StreamDescription.Shard {
    init(_ reader: JSONReader) throws(ValueDecodingError) {
        let range = try reader.optional("SequenceNumberRange")
        self.init(
            id: try reader.required("ShardId").string(),
            parentID: try reader.optionalString("ParentShardId"),
            startingSequenceNumber: try range?.optionalString("StartingSequenceNumber"),
            endingSequenceNumber: try range?.optionalString("EndingSequenceNumber"))
    }
}

import DynamoDBModel
import JSON

/// One change of an item, as a DynamoDB stream records it.
public struct StreamRecord: Sendable, Equatable {
    /// What happened to the item.
    public enum Event: String, Sendable {
        case insert = "INSERT"
        case modify = "MODIFY"
        case remove = "REMOVE"
    }

    public var event: Event
    /// When DynamoDB recorded it, in seconds since 1970 (DynamoDB rounds to the second or the
    /// millisecond, as its `ApproximateCreationDateTime` says: approximate).
    public var time: UTCTimestamp?
    /// The item's key attributes.
    public var keys: Item
    /// The item after the change (views `NEW_IMAGE` and `NEW_AND_OLD_IMAGES`; none for REMOVE).
    public var newImage: Item?
    /// The item before the change (views `OLD_IMAGE` and `NEW_AND_OLD_IMAGES`; none for INSERT).
    public var oldImage: Item?
    /// The record's place in its shard: decimal text, ordered within the shard.
    public var sequenceNumber: String
    /// Set when DynamoDB's TTL removed the item (`userIdentity` of the service principal).
    public var removedByTTL: Bool
    /// The shard the record came from.
    public var shardID: String

    public init(
        event: Event, time: UTCTimestamp?, keys: Item, newImage: Item?, oldImage: Item?,
        sequenceNumber: String, removedByTTL: Bool = false, shardID: String
    ) {
        self.event = event
        self.time = time
        self.keys = keys
        self.newImage = newImage
        self.oldImage = oldImage
        self.sequenceNumber = sequenceNumber
        self.removedByTTL = removedByTTL
        self.shardID = shardID
    }

    /// The names of the attributes whose values differ between the old and the new image (numbers
    /// compared by value), sorted; every attribute of the one image there is when the other is
    /// missing, and none when the view type records neither.
    public var changedAttributes: [String] {
        let old = oldImage ?? [:]
        let new = newImage ?? [:]
        var names: Set<AttributeName> = []
        for (name, value) in new where old[name] != value {
            names.insert(name)
        }
        for name in old.keys where new[name] == nil {
            names.insert(name)
        }
        return names.map(\.text).sorted()
    }
}

extension StreamRecord {
    init(_ reader: JSONReader, shardID: String) throws(ValueDecodingError) {
        let name = try reader.required("eventName").string()
        guard let event = Event(rawValue: name) else {
            throw reader.fail("unknown eventName '\(name.prefix(40))'")
        }
        let change = try reader.required("dynamodb")
        let identity = try reader.optional("userIdentity")
        self.init(
            event: event,
            time: try change.optional("ApproximateCreationDateTime")?.timestamp(),
            keys: try change.optional("Keys").map { (keys) throws(ValueDecodingError) in
                try AttributeValue.item(keys)
            } ?? [:],
            newImage: try change.optional("NewImage").map { (image) throws(ValueDecodingError) in
                try AttributeValue.item(image)
            },
            oldImage: try change.optional("OldImage").map { (image) throws(ValueDecodingError) in
                try AttributeValue.item(image)
            },
            sequenceNumber: try change.required("SequenceNumber").string(),
            removedByTTL: try identity?.optionalString("principalId") == "dynamodb.amazonaws.com",
            shardID: shardID)
    }
}

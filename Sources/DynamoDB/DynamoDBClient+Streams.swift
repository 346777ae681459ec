import DynamoDBModel
import JSON

// DynamoDB Streams: a table's changes, read shard by shard (`watch`, `sentinel.db.watch`).
extension DynamoDBClient {
    /// Where a shard iterator starts.
    public enum ShardIteratorStart: Sendable, Equatable {
        /// The oldest record still in the shard (streams keep 24 hours).
        case trimHorizon
        /// After the newest record: only changes from now on.
        case latest
        /// Just after a record already seen.
        case after(sequenceNumber: String)

        var body: JSONObject {
            switch self {
            case .trimHorizon: ["ShardIteratorType": "TRIM_HORIZON"]
            case .latest: ["ShardIteratorType": "LATEST"]
            case .after(let sequenceNumber):
                [
                    "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                    "SequenceNumber": .string(sequenceNumber),
                ]
            }
        }
    }

    /// DescribeStream, following `LastEvaluatedShardId` until every shard is listed.
    public func describeStream(arn: String, tableName: String? = nil) async throws(DynamoDBError)
        -> StreamDescription
    {
        var shards: [StreamDescription.Shard] = []
        var start: String?
        var description: StreamDescription
        repeat {
            var request: JSONObject = ["StreamArn": .string(arn)]
            if let start { request["ExclusiveStartShardId"] = .string(start) }
            let answer = try await send("DescribeStream", request, tableName: tableName, api: .streams)
            let page = try decode("DescribeStream") {
                () throws(ValueDecodingError) -> (StreamDescription, String?) in
                let stream = try JSONReader(answer).required("StreamDescription")
                let shards = try (stream.optional("Shards")?.array() ?? []).map {
                    (shard) throws(ValueDecodingError) in try StreamDescription.Shard(shard)
                }
                return (
                    StreamDescription(
                        arn: try stream.optionalString("StreamArn") ?? arn,
                        status: try stream.optionalString("StreamStatus") ?? "ENABLED",
                        viewType: try stream.optionalString("StreamViewType"), shards: shards),
                    try stream.optionalString("LastEvaluatedShardId")
                )
            }
            description = page.0
            shards += page.0.shards
            // A page that names the shard it started from again would loop for ever.
            start = page.1 == start ? nil : page.1
        } while start != nil
        description.shards = shards
        return description
    }

    /// GetShardIterator: where reading `shardID` starts.
    public func shardIterator(
        arn: String, shardID: String, start: ShardIteratorStart, tableName: String? = nil
    ) async throws(DynamoDBError) -> String {
        var request = start.body
        request["StreamArn"] = .string(arn)
        request["ShardId"] = .string(shardID)
        let answer = try await send("GetShardIterator", request, tableName: tableName, api: .streams)
        return try decode("GetShardIterator") { () throws(ValueDecodingError) in
            try JSONReader(answer).required("ShardIterator").string()
        }
    }

    /// GetRecords: the records after `iterator` (at most `limit`, 1 to 1000) and where the next read
    /// starts, `nil` once a closed shard has been read to its end.
    public func records(
        iterator: String, shardID: String, limit: Int? = nil, tableName: String? = nil
    ) async throws(DynamoDBError) -> (records: [StreamRecord], next: String?) {
        var request: JSONObject = ["ShardIterator": .string(iterator)]
        if let limit { request["Limit"] = JSONValue(limit) }
        let answer = try await send("GetRecords", request, tableName: tableName, api: .streams)
        return try decode("GetRecords") { () throws(ValueDecodingError) in
            let reader = JSONReader(answer)
            let records = try (reader.optional("Records")?.array() ?? []).map {
                (record) throws(ValueDecodingError) in try StreamRecord(record, shardID: shardID)
            }
            return (records, try reader.optionalString("NextShardIterator"))
        }
    }
}

import DynamoDBModel
import JSON

// Table settings that have operations of their own: time to live, continuous backups, tags.
extension DynamoDBClient {
    /// UpdateTimeToLive: switches TTL on (with the attribute) or off.
    public func updateTimeToLive(
        tableName: String, attributeName: String, enabled: Bool
    ) async throws(DynamoDBError) {
        let request: JSONObject = [
            "TableName": .string(tableName),
            "TimeToLiveSpecification": ["AttributeName": .string(attributeName), "Enabled": .bool(enabled)],
        ]
        _ = try await send("UpdateTimeToLive", request, tableName: tableName)
    }

    /// DescribeTimeToLive.
    public func describeTimeToLive(_ tableName: String) async throws(DynamoDBError) -> TimeToLiveDescription {
        let answer = try await send(
            "DescribeTimeToLive", ["TableName": .string(tableName)], tableName: tableName)
        return try decode("DescribeTimeToLive") { () throws(ValueDecodingError) in
            let description = try JSONReader(answer).required("TimeToLiveDescription")
            return TimeToLiveDescription(
                status: try description.optionalString("TimeToLiveStatus") ?? "DISABLED",
                attributeName: try description.optionalString("AttributeName"))
        }
    }

    /// UpdateContinuousBackups: switches point-in-time recovery on or off.
    @discardableResult
    public func updateContinuousBackups(
        tableName: String, pointInTimeRecoveryEnabled: Bool
    ) async throws(DynamoDBError) -> ContinuousBackupsDescription {
        let request: JSONObject = [
            "TableName": .string(tableName),
            "PointInTimeRecoverySpecification": [
                "PointInTimeRecoveryEnabled": .bool(pointInTimeRecoveryEnabled)
            ],
        ]
        let answer = try await send("UpdateContinuousBackups", request, tableName: tableName)
        return try decodeBackups("UpdateContinuousBackups", answer)
    }

    /// DescribeContinuousBackups.
    public func describeContinuousBackups(
        _ tableName: String
    ) async throws(DynamoDBError) -> ContinuousBackupsDescription {
        let answer = try await send(
            "DescribeContinuousBackups", ["TableName": .string(tableName)], tableName: tableName)
        return try decodeBackups("DescribeContinuousBackups", answer)
    }

    private func decodeBackups(
        _ operation: String, _ answer: JSONObject
    ) throws(DynamoDBError) -> ContinuousBackupsDescription {
        try decode(operation) { () throws(ValueDecodingError) in
            let description = try JSONReader(answer).required("ContinuousBackupsDescription")
            let recovery = try description.optional("PointInTimeRecoveryDescription")
            return ContinuousBackupsDescription(
                continuousBackupsStatus: try description.required("ContinuousBackupsStatus").string(),
                pointInTimeRecoveryStatus: try recovery?.optionalString("PointInTimeRecoveryStatus")
                    ?? "DISABLED")
        }
    }

    /// TagResource: adds or replaces tags on a table (by ARN).
    public func tagResource(_ resourceARN: String, tags: [Tag]) async throws(DynamoDBError) {
        let request: JSONObject = [
            "ResourceArn": .string(resourceARN),
            "Tags": .array(tags.map { ["Key": .string($0.key), "Value": .string($0.value)] }),
        ]
        _ = try await send("TagResource", request)
    }

    /// UntagResource: removes tags by key.
    public func untagResource(_ resourceARN: String, tagKeys: [String]) async throws(DynamoDBError) {
        let request: JSONObject = [
            "ResourceArn": .string(resourceARN), "TagKeys": .array(tagKeys.map(JSONValue.string)),
        ]
        _ = try await send("UntagResource", request)
    }

    /// ListTagsOfResource, following every page.
    public func listTagsOfResource(_ resourceARN: String) async throws(DynamoDBError) -> [Tag] {
        var tags: [Tag] = []
        var nextToken: String?
        repeat {
            var request: JSONObject = ["ResourceArn": .string(resourceARN)]
            if let nextToken { request["NextToken"] = .string(nextToken) }
            let answer = try await send("ListTagsOfResource", request)
            let page = try decode("ListTagsOfResource") { () throws(ValueDecodingError) in
                let reader = JSONReader(answer)
                let tags = try (reader.optional("Tags")?.array() ?? []).map {
                    (tag) throws(ValueDecodingError) in
                    Tag(key: try tag.required("Key").string(), value: try tag.required("Value").string())
                }
                return (tags, try reader.optionalString("NextToken"))
            }
            tags += page.0
            nextToken = page.1
        } while nextToken != nil
        return tags
    }
}

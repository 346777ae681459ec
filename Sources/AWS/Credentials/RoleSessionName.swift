import DynamoDBModel

/// The session name of an assumed role: the one configured, else one that says which tool and when,
/// as the SDKs make one (`botocore-session-<seconds>`).
enum RoleSessionName {
    static func chosen(_ configured: String?) -> String {
        if let configured = configured?.trimmingWhitespace(), !configured.isEmpty { return configured }
        return "sentinel-tables-\(UTCTimestamp.now().secondsSinceEpoch)"
    }
}

/// Time to live as DescribeTimeToLive reports it.
public struct TimeToLiveDescription: Sendable, Equatable {
    /// `ENABLED`, `DISABLED`, `ENABLING` or `DISABLING`.
    public var status: String
    /// The attribute holding the expiry time, when TTL is (being) enabled.
    public var attributeName: String?

    public init(status: String, attributeName: String?) {
        self.status = status
        self.attributeName = attributeName
    }
}

/// Continuous backups as DescribeContinuousBackups reports them.
public struct ContinuousBackupsDescription: Sendable, Equatable {
    /// `ENABLED` or `DISABLED`.
    public var continuousBackupsStatus: String
    /// Point-in-time recovery: `ENABLED` or `DISABLED`.
    public var pointInTimeRecoveryStatus: String

    public init(continuousBackupsStatus: String, pointInTimeRecoveryStatus: String) {
        self.continuousBackupsStatus = continuousBackupsStatus
        self.pointInTimeRecoveryStatus = pointInTimeRecoveryStatus
    }
}

/// A resource tag.
public struct Tag: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

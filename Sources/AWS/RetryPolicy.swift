import DynamoDBModel

/// How failed requests are retried: the AWS SDKs' "standard" retry mode.
///
/// The values are the standard mode's documented defaults (AWS SDKs and Tools reference guide,
/// "Retry behavior"): at most 3 attempts; before retry *n* a delay drawn uniformly from
/// `0 ..< min(baseDelay * 2^(n-1), maxBackoff)` (full jitter) with a 1 s base and a 20 s cap; a
/// client-wide token bucket of 500 that a retry draws 5 from (10 after a timeout or connection
/// error), a successful retry puts back and a first-try success adds 1 to. When the bucket cannot
/// pay, the client stops retrying and reports the last error, so an outage does not multiply load.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts per request including the first; 1 disables retries.
    public var maxAttempts: Int
    /// The scale of the exponential backoff.
    public var baseDelay: Duration
    /// The longest delay before one retry.
    public var maxBackoff: Duration
    /// The token bucket's size and starting level.
    public var bucketCapacity: Int
    /// Tokens a retry after an error response costs.
    public var retryCost: Int
    /// Tokens a retry after a timeout or connection error costs.
    public var timeoutRetryCost: Int
    /// Tokens a success without retries adds.
    public var successIncrement: Int

    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .seconds(1), maxBackoff: Duration = .seconds(20),
        bucketCapacity: Int = 500, retryCost: Int = 5, timeoutRetryCost: Int = 10, successIncrement: Int = 1
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxBackoff = maxBackoff
        self.bucketCapacity = bucketCapacity
        self.retryCost = retryCost
        self.timeoutRetryCost = timeoutRetryCost
        self.successIncrement = successIncrement
    }

    /// The standard mode's defaults.
    public static let standard = RetryPolicy()

    /// The delay before the retry that follows failed attempt `attempt` (1-based), with full jitter.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(attempt - 1, 30)
        let ceiling = min(baseDelay * (1 << exponent), maxBackoff)
        return ceiling * Double.random(in: 0..<1)
    }

    /// Error codes the standard mode treats as throttling. `LimitExceededException` is left out on
    /// purpose: for DynamoDB it reports a hard limit (too many concurrent control-plane operations,
    /// too many indexes being created), which a retry seconds later does not fix and the caller must
    /// see.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "RequestThrottled", "SlowDown",
        "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// Error codes the standard mode treats as transient.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalServerError", "InternalFailure",
        "ServiceUnavailable", "InternalError",
    ]

    /// HTTP statuses the standard mode treats as transient.
    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// Whether a service error is worth another attempt.
    public static func isRetryable(_ error: ServiceError) -> Bool {
        throttlingCodes.contains(error.code) || transientCodes.contains(error.code)
            || transientStatuses.contains(error.statusCode)
    }
}

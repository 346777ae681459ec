import DynamoDBModel

/// How failed requests are retried: the AWS SDKs' retry modes with the defaults they adopted on
/// 2026-11-10 (botocore's retries with `NEW_RETRIES`, AWS CLI 2.40.0, the Swift SDK 1.8.24).
///
/// Before retry *n* (after failed attempt *n*) the delay is drawn uniformly from
/// `0 ..< min(base * 2^(n-1), 20 s)` (full jitter), the base being 1 s after a throttling error and
/// 50 ms after a transient one (25 ms for DynamoDB). An `x-amz-retry-after` header (milliseconds)
/// lengthens that delay to the hint, by at most 5 s more than the drawn delay. A client-wide quota
/// of 500 tokens pays for retries: 5 for one after throttling, 14 for one after any other error; a
/// success after retries puts back what its last retry took, a first-try success adds 1. When the
/// quota cannot pay, the client stops retrying and reports the last error, so an outage does not
/// multiply load. In ``Mode/adaptive`` a client-side rate limiter (``ClientRateLimiter``) also holds
/// requests back once the service throttles.
public struct RetryPolicy: Sendable, Equatable {
    /// The SDKs' retry modes.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// Backoff, jitter and the retry quota.
        case standard
        /// `standard` and a client-side rate limiter that slows sending after throttling.
        case adaptive
    }

    /// The mode.
    public var mode: Mode
    /// Attempts per request including the first; 1 disables retries.
    public var maxAttempts: Int
    /// The scale of the exponential backoff after a transient error (5xx, timeouts, connections).
    public var baseDelay: Duration
    /// The scale of the exponential backoff after a throttling error.
    public var throttlingBaseDelay: Duration
    /// The longest delay before one retry (before an `x-amz-retry-after` hint).
    public var maxBackoff: Duration
    /// The retry quota's size and starting level.
    public var bucketCapacity: Int
    /// Tokens a retry after a transient error costs.
    public var retryCost: Int
    /// Tokens a retry after a throttling error costs.
    public var throttlingRetryCost: Int
    /// Tokens a success without retries adds.
    public var successIncrement: Int

    /// The most an `x-amz-retry-after` hint adds beyond the drawn delay.
    public static let retryAfterAllowance = Duration.seconds(5)

    public init(
        mode: Mode = .standard, maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(50),
        throttlingBaseDelay: Duration = .seconds(1), maxBackoff: Duration = .seconds(20),
        bucketCapacity: Int = 500,
        retryCost: Int = 14, throttlingRetryCost: Int = 5, successIncrement: Int = 1
    ) {
        self.mode = mode
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.throttlingBaseDelay = throttlingBaseDelay
        self.maxBackoff = maxBackoff
        self.bucketCapacity = bucketCapacity
        self.retryCost = retryCost
        self.throttlingRetryCost = throttlingRetryCost
        self.successIncrement = successIncrement
    }

    /// The standard mode's defaults for any service: 3 attempts, 50 ms and 1 s bases.
    public static let standard = RetryPolicy()

    /// The defaults for DynamoDB (and DynamoDB Streams): 4 attempts, a 25 ms base for transient
    /// errors.
    public static let dynamoDB = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(25))

    /// The delay before the retry that follows failed attempt `attempt` (1-based): full jitter from
    /// `random` (uniform in `0..<1`), the throttling base when `throttled`, and the `x-amz-retry-after`
    /// hint honoured up to ``retryAfterAllowance`` beyond the drawn delay.
    public func delay(
        afterAttempt attempt: Int, throttled: Bool = false, retryAfter: Duration? = nil,
        random: Double = Double.random(in: 0..<1)
    ) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let base = throttled ? throttlingBaseDelay : baseDelay
        let drawn = min(base * (1 << exponent), maxBackoff) * random
        guard let retryAfter, retryAfter >= .zero else { return drawn }
        return max(drawn, min(retryAfter, drawn + Self.retryAfterAllowance))
    }

    /// The tokens a retry costs after an error of that kind.
    public func cost(throttled: Bool) -> Int { throttled ? throttlingRetryCost : retryCost }

    /// `standard, 4 attempts`, for `whoami --verbose`.
    public var summary: String {
        "\(mode.rawValue), \(maxAttempts) attempt\(maxAttempts == 1 ? "" : "s")"
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
        isThrottling(error) || transientCodes.contains(error.code)
            || transientStatuses.contains(error.statusCode)
    }

    /// Whether a service error is throttling (the slower base, the cheaper retry, the rate limiter).
    public static func isThrottling(_ error: ServiceError) -> Bool {
        throttlingCodes.contains(error.code)
    }
}

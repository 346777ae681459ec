import AWS
import AsyncHTTPClient
import DynamoDBModel
import JSON
import Logging
import NIOCore
import Synchronization

/// A DynamoDB client speaking the AWS JSON 1.0 protocol over one shared HTTP client.
///
/// Every operation goes through ``send(_:_:tableName:)``: sign with SigV4, POST, check `x-amz-crc32`,
/// decode, and retry per the `RetryPolicy`. Call ``shutdown()`` when done; a client dropped without
/// it is shut down then, in the background, so that whoever still holds it keeps it working.
public final class DynamoDBClient: Sendable {
    /// The resolved configuration.
    public let configuration: DynamoDBConfiguration
    private let httpClients: RoutedHTTPClients
    private let retryBucket: RetryTokenBucket
    /// The adaptive retry mode's client-side rate limiter; `nil` in the standard mode.
    private let rateLimiter: ClientRateLimiter?
    private let identityLookup: CallerIdentityLookup
    private let announcement: FirstRequestAnnouncement?
    /// Set by ``shutdown()``: every request after it, and one it cut short, fails with one error.
    private let isShutDown = Atomic<Bool>(false)

    /// The API version prefix of `X-Amz-Target`.
    static let targetPrefix = "DynamoDB_20120810."

    /// The two JSON APIs this client speaks: DynamoDB's, and DynamoDB Streams' (its own endpoint and
    /// target prefix, the same signing name, protocol, retries and account guard).
    enum API {
        case dynamoDB
        case streams

        var targetPrefix: String {
            switch self {
            case .dynamoDB: DynamoDBClient.targetPrefix
            case .streams: "DynamoDBStreams_20120810."
            }
        }
    }
    /// The largest response accepted; BatchGetItem answers are at most 16 MB.
    private static let maxResponseBytes = 64 << 20

    public init(configuration: DynamoDBConfiguration) {
        self.configuration = configuration
        let connectTimeout = min(configuration.connectTimeout, configuration.callTimeout ?? .seconds(3600))
        var httpConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: TimeAmount(connectTimeout),
                read: TimeAmount(configuration.requestTimeout)),
            decompression: .disabled)
        httpConfiguration.connectionPool = .init(idleTimeout: .seconds(60))
        // By default the pool retries a failed connect until the connect timeout, under our own
        // retries: an unknown host cost three 5-second attempts, a local server that is not running
        // as much. Connection failures are retried by the RetryPolicy alone (with its backoff and
        // budget), each connect bounded by the connect timeout.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        // Through the proxy unless NO_PROXY names the host, chosen for each request's host.
        httpClients = RoutedHTTPClients(
            network: configuration.network, base: httpConfiguration, endpoint: configuration.endpoint)
        retryBucket = RetryTokenBucket(capacity: configuration.retryPolicy.bucketCapacity)
        rateLimiter = configuration.retryPolicy.mode == .adaptive ? ClientRateLimiter() : nil
        identityLookup = CallerIdentityLookup(configuration: configuration)
        announcement = configuration.announce.map(FirstRequestAnnouncement.init)
    }

    /// The account and ARN the credentials belong to (STS `GetCallerIdentity`, asked once), or `nil`
    /// when there is no STS endpoint to ask (``DynamoDBConfiguration/stsEndpoint``).
    public func callerIdentity() async throws(DynamoDBError) -> STSClient.CallerIdentity? {
        try await identityLookup.identity()
    }

    /// Resolves the credentials and asks STS whose they are (``callerIdentity()``). With
    /// `toleratingSTS`, an STS that cannot be reached or refuses leaves the identity unknown and says
    /// why, unless allowed accounts must be checked (then, as without it, the error is thrown): what a
    /// report of who is about to act needs.
    public func resolvedCallerIdentity(toleratingSTS: Bool) async throws(DynamoDBError) -> (
        identity: STSClient.CallerIdentity?, stsProblem: String?
    ) {
        _ = try await configuration.resolvedCredentials()
        do {
            return (try await callerIdentity(), nil)
        } catch {
            guard toleratingSTS, configuration.allowedAccounts.isEmpty else { throw error }
            return (nil, "\(error)")
        }
    }

    /// Throws `DynamoDBError.accountNotAllowed(account:arn:allowed:)` (or
    /// `DynamoDBError.accountUncheckable(endpoint:)`) unless the credentials belong to one of
    /// ``DynamoDBConfiguration/allowedAccounts``. Every request checks this first; a command calls it to
    /// stop before it starts.
    public func checkAllowedAccount() async throws(DynamoDBError) {
        // The guard belongs to the credentials (AccountGuard): resolving them checks them.
        _ = try await configuration.resolvedCredentials()
    }

    /// Runs ``DynamoDBConfiguration/announce`` now if it has not run yet (no-op without one): a command
    /// that says who is acting before its own first request, when its script may have sent one first.
    public func announce() async throws(DynamoDBError) {
        try await announcement?.once(for: self)
    }

    /// Closes the connections. The client cannot be used afterwards: a request under way ends, and
    /// every request fails with ``shutDownError``.
    public func shutdown() async throws {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try await httpClients.shutdown()
    }

    deinit {
        // AsyncHTTPClient requires a shutdown before its client goes (debug builds trap without one).
        // Nobody holds this client any more, so no request can be cut short: close it in the background
        // (the HTTP client keeps itself alive until it is closed), with no Swift task to start.
        guard !isShutDown.load(ordering: .acquiring) else { return }
        httpClients.shutdownInBackground()
    }

    /// What a request to a client that was shut down fails with: the same error whether it was sent
    /// after ``shutdown()`` or was under way when it came.
    public static let shutDownError = DynamoDBError.configuration("the AWS connection was already shut down")

    /// The retry tokens left in this client's budget.
    public var retryTokensLeft: Int { retryBucket.level }

    /// Sends one operation with a JSON body and returns the JSON answer: the raw form every typed
    /// operation is built on, open to operations this module does not wrap.
    ///
    /// `tableName` only goes into logs and errors. `region` sends it to another region of the same
    /// account (a global table's replica), with the same credentials, guard and access:
    /// ``DynamoDBConfiguration/endpoint(inRegion:)`` says where.
    public func send(
        _ operation: String, _ body: JSONObject, tableName: String? = nil, region: String? = nil
    ) async throws(DynamoDBError) -> JSONObject {
        try await send(operation, body, tableName: tableName, api: .dynamoDB, region: region)
    }

    /// ``send(_:_:tableName:)`` under a capacity budget: waits for `budget` to admit a request of
    /// `kind`, asks for `ReturnConsumedCapacity: TOTAL`, takes what the answer reports consumed out of
    /// the budget, and tells it of every throttling retry. Without a budget, a plain send.
    func send(
        _ operation: String, _ body: JSONObject, tableName: String?, budget: CapacityBudget?,
        kind: CapacityBudget.Kind
    ) async throws(DynamoDBError) -> JSONObject {
        guard let budget else { return try await send(operation, body, tableName: tableName) }
        try await budget.admit(kind)
        var body = body
        body["ReturnConsumedCapacity"] = "TOTAL"
        let answer = try await send(
            operation, body, tableName: tableName, api: .dynamoDB, onThrottle: { budget.throttled(kind) })
        // DynamoDB always reports it when asked; a server that does not is counted a unit a request, so
        // that the budget still paces it.
        budget.consumed(kind, units: CapacityBudget.units(in: answer) ?? 1)
        return answer
    }

    /// ``send(_:_:tableName:)`` to either API; `onThrottle` hears of every throttling error retried.
    func send(
        _ operation: String, _ body: JSONObject, tableName: String?, api: API, region: String? = nil,
        onThrottle: (@Sendable () -> Void)? = nil
    ) async throws(DynamoDBError) -> JSONObject {
        // Granted when the client was made: a read-only client refuses a write before it is signed.
        try configuration.access.permit(operation, body: body, tableName: tableName)
        guard let ledger = configuration.requestLedger, api == .dynamoDB,
            RequestLedger.itemOperations.contains(operation)
        else {
            return try await sendChecked(
                operation, body, tableName: tableName, api: api, region: region, onThrottle: onThrottle)
        }
        // Explained, not sent; or sent asking what it consumed, and recorded.
        if let answer = ledger.intercept(operation, body, tableName: tableName) { return answer }
        var asked = body
        if asked["ReturnConsumedCapacity"] == nil { asked["ReturnConsumedCapacity"] = "TOTAL" }
        let answer = try await sendChecked(
            operation, asked, tableName: tableName, api: api, region: region, onThrottle: onThrottle)
        ledger.record(operation, body, tableName: tableName, answer: answer)
        return answer
    }

    /// ``send(_:_:tableName:api:onThrottle:)`` once permitted and not explained.
    private func sendChecked(
        _ operation: String, _ body: JSONObject, tableName: String?, api: API, region: String?,
        onThrottle: (@Sendable () -> Void)?
    ) async throws(DynamoDBError) -> JSONObject {
        try await announcement?.once(for: self)
        let policy = configuration.retryPolicy
        let bodyBytes = JSONWriter(style: .compact).bytes(from: .object(body))
        var attempt = 1
        var lastRetryCost: Int?
        var correctedClock = false
        let deadline = configuration.callTimeout.map { ContinuousClock.now + $0 }
        while true {
            if isShutDown.load(ordering: .acquiring) { throw Self.shutDownError }
            try await waitForSendCapacity(operation, tableName: tableName)
            let started = ContinuousClock.now
            let outcome = try await attemptOnce(
                operation, bodyBytes, tableName: tableName, api: api, region: region,
                timeout: deadline.map { min(configuration.requestTimeout, $0 - started) }
                    ?? configuration.requestTimeout)
            let milliseconds = (ContinuousClock.now - started).components
            var metadata: Logger.Metadata = [
                "operation": "\(operation)", "table": "\(tableName ?? "-")",
                "status": "\(outcome.status)",
                "duration_ms":
                    "\(milliseconds.seconds * 1000 + milliseconds.attoseconds / 1_000_000_000_000_000)",
                "attempt": "\(attempt)",
            ]
            // A request sent to another region (a global table's replica) says which.
            if let region { metadata["region"] = "\(region)" }
            configuration.logger.debug("DynamoDB request", metadata: metadata)
            if case .failure(let failure) = outcome.result {
                rateLimiter?.record(throttled: failure.throttled)
            } else {
                rateLimiter?.record(throttled: false)
            }
            switch outcome.result {
            case .success(let answer):
                retryBucket.release(lastRetryCost ?? policy.successIncrement)
                return answer
            case .failure(let failure) where failure.clockCorrected && !correctedClock && !Task.isCancelled:
                // Signed at the wrong time (see ClockCorrection): once per call, again at once, with the
                // server's time; not a fault of the service, so no delay and no retry budget.
                correctedClock = true
                attempt += 1
            case .failure where isShutDown.load(ordering: .acquiring):
                // Cut short by shutdown(): said once and clearly, not as a connection problem to retry.
                throw Self.shutDownError
            case .failure(let failure):
                if let onThrottle, case .service(let error) = failure.error,
                    RetryPolicy.throttlingCodes.contains(error.code)
                {
                    onThrottle()
                }
                let delay = policy.delay(
                    afterAttempt: attempt, throttled: failure.throttled, retryAfter: failure.retryAfter)
                guard let cost = failure.retryCost, attempt < policy.maxAttempts, !Task.isCancelled,
                    deadline.map({ ContinuousClock.now + delay < $0 }) ?? true, retryBucket.acquire(cost)
                else {
                    throw failure.error.afterAttempts(attempt)
                }
                lastRetryCost = cost
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    throw failure.error.afterAttempts(attempt)
                }
                attempt += 1
            }
        }
    }

    // MARK: One attempt

    private struct Failure: Error {
        var error: DynamoDBError
        /// The tokens a retry costs; `nil` when the error is not retryable.
        var retryCost: Int?
        /// A throttling error: the longer backoff, the cheaper retry, the rate limiter's cue.
        var throttled = false
        /// The service's `x-amz-retry-after` hint.
        var retryAfter: Duration?
        /// The request was refused for the time it was signed at, and the clock is now corrected.
        var clockCorrected = false
    }

    private struct Outcome {
        var status: String
        var result: Result<JSONObject, Failure>
    }

    private func attemptOnce(
        _ operation: String, _ body: [UInt8], tableName: String?, api: API, region: String?, timeout: Duration
    ) async throws(DynamoDBError) -> Outcome {
        let credentials = try await configuration.resolvedCredentials()
        // Streams have their own endpoint; DynamoDB's is the account's or the region's, in a replica's
        // region when one is asked for (signed for it below).
        let endpoint =
            api == .streams
            ? configuration.streamsEndpoint
            : try configuration.endpoint(for: credentials, inRegion: region)
        let signer = SigV4Signer(
            credentials: credentials, region: region ?? configuration.region, service: "dynamodb")
        let unsigned = SigV4Signer.Request(
            method: "POST", path: endpoint.path,
            headers: [
                (name: "Host", value: endpoint.hostHeader),
                (name: "Content-Type", value: "application/x-amz-json-1.0"),
                (name: "X-Amz-Target", value: api.targetPrefix + operation),
            ],
            body: body)
        let signed = signer.sign(unsigned, date: ClockCorrection.shared.now())

        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        for (name, value) in signed.headers {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))

        let policy = configuration.retryPolicy
        func transport(_ kind: TransportFailure.Kind, _ reason: String) -> DynamoDBError {
            .transport(
                TransportFailure(
                    kind: kind, reason: reason, endpoint: endpoint.description, operation: operation,
                    tableName: tableName))
        }
        let status: Int
        let checksumHeader: String?
        let requestID: String?
        let contentType: String?
        let serverDate: String?
        let retryAfter: Duration?
        let responseBody: [UInt8]
        guard let httpClient = httpClients.client(for: endpoint) else { throw Self.shutDownError }
        do {
            guard timeout > .zero else { throw HTTPClientError.deadlineExceeded }
            let response = try await httpClient.execute(request, timeout: TimeAmount(timeout), logger: nil)
            status = Int(response.status.code)
            checksumHeader = response.headers.first(name: "x-amz-crc32")
            requestID = response.headers.first(name: "x-amzn-RequestId")
            contentType = response.headers.first(name: "content-type")
            serverDate = response.headers.first(name: "date")
            retryAfter = Self.retryAfter(response.headers.first(name: "x-amz-retry-after"))
            responseBody = Array(
                try await response.body.collect(upTo: Self.maxResponseBytes).readableBytesView)
        } catch {
            var (kind, reason) = TransportErrorKind.classify(
                error,
                timeout: configuration.callTimeout.map { min($0, configuration.requestTimeout) }
                    ?? configuration.requestTimeout, route: configuration.network.route(to: endpoint))
            if Task.isCancelled { (kind, reason) = (.cancelled, "cancelled") }
            // Not worth another attempt: nothing listens on this machine's port, the endpoint does not
            // speak TLS (or not with a certificate we trust), or the proxy cannot be reached or refuses
            // the tunnel; a second later is the same.
            let pointless =
                kind == .cancelled || kind == .tls || kind == .proxy
                || (kind == .connectionRefused && endpoint.isLoopback)
            return Outcome(
                status: "no response",
                result: .failure(
                    Failure(
                        error: transport(kind, reason), retryCost: pointless ? nil : policy.retryCost)
                ))
        }

        if let expected = checksumHeader.flatMap({ UInt32($0) }) {
            let actual = CRC32.checksum(responseBody)
            if actual != expected {
                let error = transport(
                    .checksumMismatch, "response body CRC32 \(actual) does not match x-amz-crc32 \(expected)")
                return Outcome(
                    status: "\(status)", result: .failure(Failure(error: error, retryCost: policy.retryCost)))
            }
        }
        let parsed = try? JSONParser().parse(bytes: responseBody)
        guard case .object(let object)? = parsed else {
            // Not DynamoDB: a web server's error page, a proxy, the wrong region of a local server.
            // Its body is no message for a user: the status and content type say what it was.
            let error = transport(
                .malformedResponse, "HTTP \(status) (\(contentType ?? "no content type"))")
            let cost = RetryPolicy.transientStatuses.contains(status) ? policy.retryCost : nil
            return Outcome(status: "\(status)", result: .failure(Failure(error: error, retryCost: cost)))
        }

        guard status == 200 else {
            let error = Self.serviceError(
                status: status, body: object, requestID: requestID, operation: operation, tableName: tableName
            )
            let throttled = RetryPolicy.isThrottling(error)
            let cost = RetryPolicy.isRetryable(error) ? policy.cost(throttled: throttled) : nil
            let corrected = ClockCorrection.shared.correct(afterRefusal: error.code, serverDate: serverDate)
            return Outcome(
                status: "\(status)",
                result: .failure(
                    Failure(
                        error: .service(error), retryCost: cost, throttled: throttled, retryAfter: retryAfter,
                        clockCorrected: corrected)))
        }
        return Outcome(status: "200", result: .success(object))
    }

    /// `x-amz-retry-after`: whole milliseconds; anything else (negative, not a number) is ignored, as
    /// the SDKs ignore it.
    static func retryAfter(_ header: String?) -> Duration? {
        guard let text = header?.trimmingWhitespace(), (1...9).contains(text.utf8.count),
            text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let milliseconds = Int(text)
        else { return nil }
        return .milliseconds(milliseconds)
    }

    /// In the adaptive retry mode, waits until the rate limiter lets an attempt go (at once until the
    /// service has throttled this client); a cancelled wait ends the request as cancelled.
    private func waitForSendCapacity(_ operation: String, tableName: String?) async throws(DynamoDBError) {
        guard let rateLimiter else { return }
        while true {
            let wait = rateLimiter.acquire()
            if wait == .zero { return }
            do {
                try await Task.sleep(for: wait)
            } catch {
                throw .transport(
                    TransportFailure(
                        kind: .cancelled, reason: "cancelled", endpoint: configuration.endpoint.description,
                        operation: operation, tableName: tableName))
            }
        }
    }

    /// Decodes `__type` (without its `com.amazonaws...#` namespace) and `message` or `Message`.
    static func serviceError(
        status: Int, body: JSONObject, requestID: String?, operation: String, tableName: String?
    ) -> ServiceError {
        var code = "HTTP\(status)"
        if let type = body["__type"]?.stringValue {
            code = String(type.split(separator: "#", omittingEmptySubsequences: false).last ?? "")
        }
        let message = body["message"]?.stringValue ?? body["Message"]?.stringValue ?? ""
        // A failed condition's item as it was (ReturnValuesOnConditionCheckFailure ALL_OLD).
        let item = body["Item"].flatMap { try? AttributeValue.item(json: $0) }
        var error = ServiceError(
            code: code, message: message, statusCode: status, requestID: requestID, operation: operation,
            tableName: tableName, item: item)
        error.cancellationReasons = CancellationReason.list(in: body)
        return error
    }
}

extension DynamoDBError {
    /// The same error, recording how many attempts were made.
    func afterAttempts(_ attempts: Int) -> DynamoDBError {
        switch self {
        case .service(var error):
            error.attempts = attempts
            return .service(error)
        case .transport(var failure):
            failure.attempts = attempts
            return .transport(failure)
        default:
            return self
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

import AWSTestSupport
import DynamoDB
import Foundation
import JSON
import Logging
import Synchronization
import Testing

/// The client against the scripted local server: retries, backoff budget, checksum, error decoding,
/// and that no secret reaches errors or logs.
@Suite struct RetryTests {
    static let credentials = AWSCredentials(
        accessKeyID: "AKIDRETRYTEST", secretAccessKey: "retry-secret-key-value",
        sessionToken: "retry-session-token")

    static func client(
        _ server: LocalHTTPServer,
        policy: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(1), throttlingBaseDelay: .milliseconds(1)),
        requestTimeout: Duration = .seconds(10), logger: Logger = Logger(label: "test")
    ) -> DynamoDBClient {
        DynamoDBClient(
            configuration: DynamoDBConfiguration(
                region: "us-east-1", endpoint: Endpoint(url: server.url),
                credentials: StaticCredentialProvider(credentials), retryPolicy: policy,
                requestTimeout: requestTimeout, logger: logger))
    }

    static let throttled = LocalHTTPServer.Action.json(
        400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}"#)
    static let serverError = LocalHTTPServer.Action.json(500, "")
    static let ok = LocalHTTPServer.Action.json(200, #"{"TableNames":["a"]}"#)

    /// Runs `body` with a server answering per `script` and a client for it, shutting both down after.
    static func withServer(
        policy: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(1), throttlingBaseDelay: .milliseconds(1)),
        requestTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "test"), answering actions: [LocalHTTPServer.Action],
        _ body: (LocalHTTPServer, DynamoDBClient) async throws -> Void
    ) async throws {
        let server = try await LocalHTTPServer.start(answering: actions)
        let client = client(server, policy: policy, requestTimeout: requestTimeout, logger: logger)
        do {
            try await body(server, client)
        } catch {
            try await client.shutdown()
            try await server.stop()
            throw error
        }
        try await client.shutdown()
        try await server.stop()
    }

    @Test func sendsAWSJSONProtocolRequest() async throws {
        try await Self.withServer(answering: [Self.ok]) { server, client in
            let answer = try await client.send("ListTables", ["Limit": 5])
            #expect(answer["TableNames"] == ["a"])
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.uri == "/")
            #expect(request.header("X-Amz-Target") == "DynamoDB_20120810.ListTables")
            #expect(request.header("Content-Type") == "application/x-amz-json-1.0")
            #expect(request.header("X-Amz-Security-Token") == "retry-session-token")
            #expect(request.bodyText == #"{"Limit":5}"#)
            let authorization = try #require(request.header("Authorization"))
            #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDRETRYTEST/"))
            #expect(authorization.contains("/us-east-1/dynamodb/aws4_request"))
            #expect(
                authorization.contains(
                    "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target"))
        }
    }

    @Test func throttlingThenSuccess() async throws {
        try await Self.withServer(answering: [Self.throttled, Self.ok]) { server, client in
            _ = try await client.send("ListTables", [:])
            #expect(server.requests.count == 2)
            #expect(client.retryTokensLeft == 500)  // 5 taken for the retry, given back on its success
        }
    }

    @Test func serverErrorsThenSuccess() async throws {
        try await Self.withServer(
            answering: [
                .json(500, #"{"__type":"InternalServerError","message":"oops"}"#), Self.serverError, Self.ok,
            ]
        ) { server, client in
            _ = try await client.send("ListTables", [:])
            #expect(server.requests.count == 3)
        }
    }

    @Test func droppedConnectionThenSuccess() async throws {
        try await Self.withServer(answering: [.dropConnection, Self.ok]) { server, client in
            _ = try await client.send("ListTables", [:])
            #expect(server.requests.count == 2)
            #expect(client.retryTokensLeft == 500)
        }
    }

    /// The first attempt's answer is lost, so whether it deleted the item cannot be known; the retry
    /// finds no item and its answer, without `Attributes`, is what the call returns: `nil`. This is
    /// what `sentinel.db.delete` documents (nil: no item had the key when the answering attempt ran).
    @Test func deleteAfterALostAnswerReturnsWhatTheAnsweringAttemptFound() async throws {
        try await Self.withServer(answering: [.dropConnection, .json(200, "{}")]) { server, client in
            let old = try await client.deleteItem(tableName: "t", key: ["id": "a"], returnOldItem: true)
            #expect(old == nil)
            #expect(server.requests.count == 2)
            #expect(server.requests.allSatisfy { $0.bodyText.contains(#""ReturnValues":"ALL_OLD""#) })
        }
    }

    @Test func aFailedConditionCarriesTheItemAsItWas() async throws {
        let failed =
            #"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","#
            + #""message":"The conditional request failed","Item":{"id":{"S":"a"},"n":{"N":"1"}}}"#
        try await Self.withServer(answering: [.json(400, failed)]) { server, client in
            await #expect {
                try await client.putItem(
                    tableName: "t", item: ["id": "a"], conditionExpression: "attribute_not_exists(id)",
                    returnItemOnConditionFailure: true)
            } throws: { error in
                guard case DynamoDBError.service(let failure) = error else { return false }
                return failure.isConditionFailure && failure.item == ["id": "a", "n": 1]
                    && failure.attempts == 1
                    && !failure.description.contains("\"n\"")
            }
            #expect(server.requests.count == 1)
            #expect(
                server.requests.first?.bodyText.contains(#""ReturnValuesOnConditionCheckFailure":"ALL_OLD""#)
                    == true)
        }
    }

    @Test func checksumMismatchIsRetried() async throws {
        let body = #"{"TableNames":["a"]}"#
        let good = CRC32Reference.checksum(Array(body.utf8))
        try await Self.withServer(
            answering: [
                .json(200, body, headers: [("x-amz-crc32", "\(good &+ 1)")]),
                .json(200, body, headers: [("x-amz-crc32", "\(good)")]),
            ]
        ) { server, client in
            _ = try await client.send("ListTables", [:])
            #expect(server.requests.count == 2)
        }
        try await Self.withServer(
            policy: RetryPolicy(
                maxAttempts: 2, baseDelay: .milliseconds(1), throttlingBaseDelay: .milliseconds(1)),
            answering: [.json(200, body, headers: [("x-amz-crc32", "12345")])]
        ) { _, client in
            await #expect {
                _ = try await client.send("ListTables", [:])
            } throws: { error in
                guard case DynamoDBError.transport(let failure) = error else { return false }
                return failure.kind == .checksumMismatch && failure.attempts == 2
            }
        }
    }

    @Test func maxAttemptsGivesTheLastError() async throws {
        try await Self.withServer(
            answering: (0..<3).map { index in
                .respond(
                    status: 503, headers: [("x-amzn-RequestId", "REQ\(index)")],
                    body: Array(
                        #"{"__type":"com.amazon.coral.service#ServiceUnavailable","Message":"busy \#(index)"}"#
                            .utf8))
            }
        ) { server, client in
            do {
                _ = try await client.send("DescribeTable", ["TableName": "t"], tableName: "t")
                Issue.record("expected an error")
            } catch {
                guard case DynamoDBError.service(let serviceError) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(serviceError.code == "ServiceUnavailable")
                #expect(serviceError.message == "busy 2")
                #expect(serviceError.requestID == "REQ2")
                #expect(serviceError.attempts == 3)
                #expect(serviceError.tableName == "t")
                #expect("\(error)".contains("DescribeTable on table 't' failed: ServiceUnavailable"))
            }
            #expect(server.requests.count == 3)
        }
    }

    @Test func exhaustedRetryBudgetStopsRetrying() async throws {
        try await Self.withServer(
            policy: RetryPolicy(
                maxAttempts: 10, baseDelay: .milliseconds(1), throttlingBaseDelay: .milliseconds(1),
                bucketCapacity: 12),
            answering: [Self.throttled]
        ) { server, client in
            await #expect(throws: DynamoDBError.self) { _ = try await client.send("ListTables", [:]) }
            // 12 tokens pay for two retries of 5; the third cannot be paid.
            #expect(server.requests.count == 3)
            #expect(client.retryTokensLeft == 2)
        }
    }

    @Test func nonRetryableErrorsAreNotRetried() async throws {
        for code in ["ValidationException", "LimitExceededException", "ResourceNotFoundException"] {
            try await Self.withServer(
                answering: [
                    .json(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#\#(code)","message":"no"}"#)
                ]
            ) { server, client in
                await #expect {
                    _ = try await client.send("CreateTable", [:])
                } throws: { error in
                    guard case DynamoDBError.service(let serviceError) = error else { return false }
                    return serviceError.code == code && serviceError.statusCode == 400
                        && serviceError.attempts == 1
                }
                #expect(server.requests.count == 1)
            }
        }
    }

    @Test func timeoutIsRetriedThenReported() async throws {
        try await Self.withServer(
            policy: RetryPolicy(
                maxAttempts: 2, baseDelay: .milliseconds(1), throttlingBaseDelay: .milliseconds(1)),
            requestTimeout: .milliseconds(300),
            answering: [.noAnswer]
        ) { server, client in
            await #expect {
                _ = try await client.send("ListTables", [:])
            } throws: { error in
                guard case DynamoDBError.transport(let failure) = error else { return false }
                return failure.kind == .timeout && failure.attempts == 2
            }
            #expect(server.requests.count == 2)
            // A retry after anything but throttling costs 14 tokens (the SDKs' 2026 retry quota).
            #expect(client.retryTokensLeft == 486)
        }
    }

    /// Nothing listening on this machine is not worth a retry: the answer is at once and one message.
    @Test func aRefusedLoopbackConnectionFailsAtOnceWithoutRetries() async throws {
        let client = DynamoDBClient(
            configuration: DynamoDBConfiguration(
                region: "us-east-1", endpoint: Endpoint(url: "http://127.0.0.1:9"),
                credentials: StaticCredentialProvider(Self.credentials),
                retryPolicy: RetryPolicy(
                    maxAttempts: 3, baseDelay: .milliseconds(500), throttlingBaseDelay: .milliseconds(500)),
                connectTimeout: .seconds(5), requestTimeout: .seconds(10)))
        do {
            _ = try await client.send("DescribeTable", ["TableName": "t"], tableName: "t")
            Issue.record("expected an error")
        } catch {
            guard case .transport(let failure) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(failure.attempts == 1)
            #expect(failure.kind == .connectionRefused)
            #expect(
                failure.description
                    == "DescribeTable on table 't': connection refused by http://127.0.0.1:9 "
                    + "(is a server listening there?)")
        }
        try await client.shutdown()
    }

    /// A web page where DynamoDB was expected: its status and type, never its body.
    @Test func anAnswerThatIsNotJSONIsReportedByStatusAndType() async throws {
        let page = LocalHTTPServer.Action.respond(
            status: 404, headers: [("Content-Type", "text/html")],
            body: Array(("<html><body>" + String(repeating: "Not Found ", count: 50) + "</body></html>").utf8)
        )
        try await Self.withServer(answering: [page]) { server, client in
            await #expect {
                _ = try await client.send("ListTables", [:])
            } throws: { error in
                guard case DynamoDBError.transport(let failure) = error else { return false }
                return failure.kind == .malformedResponse && failure.reason == "HTTP 404 (text/html)"
                    && !failure.description.contains("<") && failure.attempts == 1
            }
            #expect(server.requests.count == 1)
        }
    }

    /// `x-amz-retry-after` lengthens the delay before a retry: a 60 s hint, honoured up to 5 s past the
    /// drawn delay (so at least 5 s), cannot fit in a 4.9 s call, so the client gives up after one
    /// attempt; without the hint (and without a call timeout) the same throttle is retried.
    @Test func theRetryAfterHintIsHonoured() async throws {
        let throttledWithHint = LocalHTTPServer.Action.json(
            400,
            #"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}"#,
            headers: [("x-amz-retry-after", "60000")])
        for (answer, attempts, callTimeout) in [
            (throttledWithHint, 1, Duration.milliseconds(4900)), (Self.throttled, 3, nil),
        ] {
            let server = try await LocalHTTPServer.start(answering: [answer])
            let client = DynamoDBClient(
                configuration: DynamoDBConfiguration(
                    region: "us-east-1", endpoint: Endpoint(url: server.url),
                    credentials: StaticCredentialProvider(Self.credentials),
                    retryPolicy: RetryPolicy(
                        maxAttempts: 3, baseDelay: .milliseconds(1), throttlingBaseDelay: .milliseconds(1)),
                    callTimeout: callTimeout))
            await #expect(throws: DynamoDBError.self) { _ = try await client.send("ListTables", [:]) }
            #expect(server.requests.count == attempts)
            try await client.shutdown()
            try await server.stop()
        }
    }

    /// `callTimeout` bounds the whole call: every attempt and the delays between them.
    @Test func theCallTimeoutBoundsEveryAttemptTogether() async throws {
        let server = try await LocalHTTPServer.start(answering: [.noAnswer])
        let client = DynamoDBClient(
            configuration: DynamoDBConfiguration(
                region: "us-east-1", endpoint: Endpoint(url: server.url),
                credentials: StaticCredentialProvider(Self.credentials),
                retryPolicy: RetryPolicy(
                    maxAttempts: 3, baseDelay: .milliseconds(1), throttlingBaseDelay: .milliseconds(1)),
                requestTimeout: .seconds(20), callTimeout: .milliseconds(500)))
        // Without the bound: three attempts of 20 s each. With it: one, cut at half a second.
        await #expect {
            _ = try await client.send("ListTables", [:])
        } throws: { error in
            guard case DynamoDBError.transport(let failure) = error else { return false }
            return failure.kind == .timeout && failure.description.contains("within 0.5 s")
                && failure.attempts == 1
        }
        try await client.shutdown()
        try await server.stop()
    }

    @Test func secretsNeverReachErrorsOrLogs() async throws {
        let sink = LogSink()
        var logger = Logger(label: "capture") { _ in sink }
        logger.logLevel = .trace
        try await Self.withServer(
            logger: logger, answering: [Self.throttled, .json(400, "{")]
        ) {
            _, client in
            do {
                _ = try await client.send("GetItem", ["TableName": "t"], tableName: "t")
                Issue.record("expected an error")
            } catch {
                for text in [String(describing: error), String(reflecting: error)] {
                    #expect(!text.contains("retry-secret-key-value"))
                    #expect(!text.contains("retry-session-token"))
                    #expect(!text.contains("AWS4-HMAC-SHA256"))
                }
            }
        }
        let lines = sink.lines
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains("operation=GetItem") && $0.contains("table=t") })
        #expect(lines.contains { $0.contains("attempt=2") && $0.contains("status=400") })
        #expect(
            lines.allSatisfy {
                !$0.contains("retry-secret") && !$0.contains("retry-session") && !$0.contains("AWS4")
            })
    }

    @Test func missingCredentialsFailBeforeSending() async throws {
        try await Self.withServer(answering: [Self.ok]) { server, _ in
            let client = DynamoDBClient(
                configuration: DynamoDBConfiguration(
                    region: "us-east-1", endpoint: Endpoint(url: server.url),
                    credentials: CredentialChain([EnvironmentCredentialProvider(environment: [:])])))
            await #expect {
                _ = try await client.send("ListTables", [:])
            } throws: { error in
                guard case DynamoDBError.missingCredentials(let sources) = error else { return false }
                return sources.count == 1 && sources[0].contains("AWS_ACCESS_KEY_ID")
            }
            #expect(server.requests.isEmpty)
            try await client.shutdown()
        }
    }
}

/// An independent CRC32 (bitwise, no table) to produce the header values the client checks.
enum CRC32Reference {
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// A log handler that keeps each line as `message key=value ...`.
final class LogSink: LogHandler, @unchecked Sendable {
    private let storage = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var lines: [String] { storage.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let pairs = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        storage.withLock { $0.append(([event.message.description] + pairs).joined(separator: " ")) }
    }
}

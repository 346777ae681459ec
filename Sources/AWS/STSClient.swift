import AsyncHTTPClient
import DynamoDBModel
import NIOCore

/// The STS operations that credentials and `whoami` need, over STS's query protocol: a form-encoded
/// POST, signed with SigV4 for service `sts` (`AssumeRoleWithWebIdentity` unsigned, as the API
/// allows), answered in XML.
///
/// Transient failures (connection errors, throttling, 5xx) are tried three times in all. Errors say
/// the operation, STS's code and message and the endpoint; never a credential or token.
public struct STSClient: Sendable {
    /// Who the credentials belong to (`GetCallerIdentity`).
    public struct CallerIdentity: Sendable, Equatable {
        /// The 12-digit account id.
        public var account: String
        /// The caller's ARN: a user, or `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
        public var arn: String
        /// The unique id of the caller.
        public var userID: String

        public init(account: String, arn: String, userID: String) {
            self.account = account
            self.arn = arn
            self.userID = userID
        }
    }

    /// What `AssumeRole` is asked for.
    public struct AssumeRoleRequest: Sendable, Equatable {
        public var roleARN: String
        public var sessionName: String
        public var externalID: String?
        public var durationSeconds: Int?
        /// The MFA device's serial number or ARN, with the code it shows now.
        public var mfa: (serial: String, code: String)?

        public init(
            roleARN: String, sessionName: String, externalID: String? = nil, durationSeconds: Int? = nil,
            mfa: (serial: String, code: String)? = nil
        ) {
            self.roleARN = roleARN
            self.sessionName = sessionName
            self.externalID = externalID
            self.durationSeconds = durationSeconds
            self.mfa = mfa
        }

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.roleARN == rhs.roleARN && lhs.sessionName == rhs.sessionName
                && lhs.externalID == rhs.externalID
                && lhs.durationSeconds == rhs.durationSeconds && lhs.mfa?.serial == rhs.mfa?.serial
                && lhs.mfa?.code == rhs.mfa?.code
        }
    }

    /// Where requests go.
    public var endpoint: Endpoint
    /// The region requests are signed for.
    public var region: String
    private let httpClient: HTTPClient
    private let route: ConnectionRoute
    private let timeout: TimeAmount

    /// A client for `endpoint`, reached as `network` says (its proxy and CA bundle), or through
    /// `httpClient` when one is given (tests).
    public init(
        endpoint: Endpoint, region: String, network: NetworkSettings = .direct, httpClient: HTTPClient? = nil,
        timeout: TimeAmount = .seconds(10)
    ) {
        self.endpoint = endpoint
        self.region = region
        self.httpClient = httpClient ?? network.sharedClient(for: endpoint)
        self.route = network.route(to: endpoint)
        self.timeout = timeout
    }

    /// `AssumeRole`: temporary credentials for a role, signed with `credentials`.
    public func assumeRole(
        _ request: AssumeRoleRequest, with credentials: AWSCredentials
    ) async throws(DynamoDBError) -> AWSCredentials {
        var parameters = [("RoleArn", request.roleARN), ("RoleSessionName", request.sessionName)]
        if let externalID = request.externalID { parameters.append(("ExternalId", externalID)) }
        if let duration = request.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        if let mfa = request.mfa {
            parameters += [("SerialNumber", mfa.serial), ("TokenCode", mfa.code)]
        }
        let result = try await call("AssumeRole", parameters, signedWith: credentials)
        return try Self.temporaryCredentials(in: result, operation: "AssumeRole")
    }

    /// `AssumeRoleWithWebIdentity`: temporary credentials for a role in exchange for an OIDC token
    /// (unsigned: the token is the proof).
    public func assumeRoleWithWebIdentity(
        roleARN: String, sessionName: String, webIdentityToken: String, durationSeconds: Int? = nil
    ) async throws(DynamoDBError) -> AWSCredentials {
        var parameters = [
            ("RoleArn", roleARN), ("RoleSessionName", sessionName), ("WebIdentityToken", webIdentityToken),
        ]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        let result = try await call("AssumeRoleWithWebIdentity", parameters, signedWith: nil)
        return try Self.temporaryCredentials(in: result, operation: "AssumeRoleWithWebIdentity")
    }

    /// `GetCallerIdentity`: the account and ARN that `credentials` belong to.
    public func callerIdentity(with credentials: AWSCredentials) async throws(DynamoDBError) -> CallerIdentity
    {
        let result = try await call("GetCallerIdentity", [], signedWith: credentials)
        guard let account = result.child("Account")?.text, let arn = result.child("Arn")?.text else {
            throw .invalidResponse(
                operation: "GetCallerIdentity",
                problem: ValueDecodingError(path: "GetCallerIdentityResult", message: "no Account or Arn"))
        }
        return CallerIdentity(account: account, arn: arn, userID: result.child("UserId")?.text ?? "")
    }

    // MARK: The query protocol

    /// Sends one action and returns its `<ActionResult>` element.
    func call(
        _ action: String, _ parameters: [(String, String)], signedWith credentials: AWSCredentials?
    ) async throws(DynamoDBError) -> XMLTree {
        // Form-encoded with SigV4's percent-encoding (every byte but the unreserved ones), which any
        // form decoder reads and which signs the same on both sides.
        let form = ([("Action", action), ("Version", "2011-06-15")] + parameters).map { name, value in
            "\(name)=\(SigV4Signer.percentEncode(value, keepingSlashes: false))"
        }
        let body = Array(form.joined(separator: "&").utf8)
        var lastError: DynamoDBError?
        for attempt in 1...3 {
            if attempt > 1 {
                try? await Task.sleep(for: .milliseconds(200 << (attempt - 2)))
                if Task.isCancelled { break }
            }
            do {
                return try await attemptOnce(action, body, credentials)
            } catch let failure as RetryableFailure {
                lastError = failure.error
            } catch let error as DynamoDBError {
                throw error
            } catch {
                throw .transport(
                    TransportFailure(
                        kind: .connection, reason: "\(error)", endpoint: endpoint.description,
                        operation: action,
                        tableName: nil))
            }
        }
        throw lastError
            ?? .transport(
                TransportFailure(
                    kind: .cancelled, reason: "cancelled", endpoint: endpoint.description, operation: action,
                    tableName: nil))
    }

    private struct RetryableFailure: Error {
        var error: DynamoDBError
    }

    private func attemptOnce(
        _ action: String, _ body: [UInt8], _ credentials: AWSCredentials?
    ) async throws -> XMLTree {
        var headers: [(name: String, value: String)] = [
            (name: "Host", value: endpoint.hostHeader),
            (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
        ]
        if let credentials {
            let signer = SigV4Signer(credentials: credentials, region: region, service: "sts")
            headers =
                signer.sign(
                    SigV4Signer.Request(method: "POST", path: endpoint.path, headers: headers, body: body),
                    date: ClockCorrection.shared.now()
                ).headers
        }
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))

        let status: Int
        let responseBody: [UInt8]
        let requestID: String?
        let serverDate: String?
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            status = Int(response.status.code)
            requestID = response.headers.first(name: "x-amzn-RequestId")
            serverDate = response.headers.first(name: "date")
            responseBody = Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        } catch {
            let (kind, reason) = TransportErrorKind.classify(
                error, timeout: .nanoseconds(timeout.nanoseconds), route: route)
            let failure = DynamoDBError.transport(
                TransportFailure(
                    kind: Task.isCancelled ? .cancelled : kind, reason: reason,
                    endpoint: endpoint.description,
                    operation: action, tableName: nil))
            if Task.isCancelled || kind == .tls || kind == .proxy
                || (kind == .connectionRefused && endpoint.isLoopback)
            {
                throw failure
            }
            throw RetryableFailure(error: failure)
        }
        let document: XMLTree
        do {
            document = try XMLTree.parse(responseBody)
        } catch {
            let failure = DynamoDBError.transport(
                TransportFailure(
                    kind: .malformedResponse, reason: "HTTP \(status), \(error)",
                    endpoint: endpoint.description,
                    operation: action, tableName: nil))
            if RetryPolicy.transientStatuses.contains(status) { throw RetryableFailure(error: failure) }
            throw failure
        }
        guard status == 200 else {
            let details = document.descendant("Error") ?? document
            let error = ServiceError(
                code: details.child("Code")?.text ?? "HTTP\(status)",
                message: details.child("Message")?.text ?? "",
                statusCode: status, requestID: requestID ?? document.child("RequestId")?.text,
                operation: action,
                tableName: nil)
            if RetryPolicy.isRetryable(error)
                || ClockCorrection.shared.correct(afterRefusal: error.code, serverDate: serverDate)
            {
                throw RetryableFailure(error: .service(error))
            }
            throw DynamoDBError.service(error)
        }
        guard let result = document.child("\(action)Result") else {
            throw DynamoDBError.invalidResponse(
                operation: action,
                problem: ValueDecodingError(path: "", message: "no \(action)Result element"))
        }
        return result
    }

    static func temporaryCredentials(in result: XMLTree, operation: String) throws(DynamoDBError)
        -> AWSCredentials
    {
        func field(_ name: String) throws(DynamoDBError) -> String {
            guard let text = result.descendant("Credentials", name)?.text, !text.isEmpty else {
                throw .invalidResponse(
                    operation: operation,
                    problem: ValueDecodingError(path: "Credentials.\(name)", message: "missing"))
            }
            return text
        }
        let expirationText = try field("Expiration")
        guard let expiration = UTCTimestamp(iso8601: expirationText) else {
            throw .invalidResponse(
                operation: operation,
                problem: ValueDecodingError(path: "Credentials.Expiration", message: "not an ISO 8601 date"))
        }
        // `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`: the role's account.
        let roleARN = result.descendant("AssumedRoleUser", "Arn")?.text ?? ""
        let arnFields = roleARN.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return AWSCredentials(
            accessKeyID: try field("AccessKeyId"), secretAccessKey: try field("SecretAccessKey"),
            sessionToken: try field("SessionToken"), expiration: expiration,
            accountID: arnFields.count == 6 && !arnFields[4].isEmpty ? String(arnFields[4]) : nil)
    }
}

import FileAccess

/// Everything the DynamoDB client can fail with.
///
/// Every case's `description` is a message a person can act on, with the operation, table, AWS error
/// code and request id where there is one. No case ever holds or prints an access key, secret key,
/// session token or the Authorization header.
public enum DynamoDBError: Error, Sendable, CustomStringConvertible {
    /// DynamoDB answered with an error (`__type` and `message` of the response).
    case service(ServiceError)
    /// No usable answer arrived: the connection failed or dropped, a timeout, a `x-amz-crc32` mismatch.
    case transport(TransportFailure)
    /// No credential source had credentials; `lookedIn` lists every source tried, in order.
    case missingCredentials(lookedIn: [String])
    /// No region is configured; `lookedIn` lists every place tried, in order.
    case missingRegion(lookedIn: [String])
    /// A credential source is configured but failed (a `credential_process` that exits non-zero, a
    /// container endpoint that answers with an error).
    case credentialSource(source: String, reason: String)
    /// The configuration is wrong: an unreadable or malformed file, an unknown profile, a bad endpoint.
    case configuration(String)
    /// A file of items, a folder or a checkpoint could not be reached (a path the file capability
    /// refuses, or what the system said).
    case file(FileAccessError)
    /// A response (or an item handed in) is not shaped as the operation expects.
    case invalidResponse(operation: String, problem: ValueDecodingError)
    /// A batch operation gave up with items DynamoDB kept returning as unprocessed: the items to put,
    /// or the keys to delete or get, that were never done.
    case unprocessedItems(operation: String, tableName: String, unprocessed: [Item], attempts: Int)
    /// The credentials belong to an account the caller did not allow; nothing was sent to DynamoDB.
    case accountNotAllowed(account: String, arn: String, allowed: [String])
    /// Accounts are to be checked but there is no STS endpoint to ask (a local endpoint).
    case accountUncheckable(endpoint: String)
    /// Items that cannot be written as they are, and the files of items: a file's line that does not
    /// parse or holds a value DynamoDB refuses, a file or checkpoint that cannot be read or written, a
    /// transform's error, a copy asked of a table into itself, a copy interrupted. Said as it is, with
    /// no "AWS configuration" label: it is about the work asked, not the setup.
    case input(String)
    /// A read-only client (`DynamoDBAccess.readOnly(holder:)`) was asked to change something; nothing
    /// was sent.
    case writeRefused(operation: String, tableName: String?, holder: String)
    /// An item over DynamoDB's 400 KB item size limit (``ItemSize``); nothing was sent.
    case itemTooLarge(ItemTooLarge)
    /// The caller's ``MemoryBudget`` refused what a stream of items needed next (the message is the
    /// budget's own); the work stopped there.
    case memoryLimit(String)

    public var description: String {
        switch self {
        case .service(let error):
            return error.description
        case .transport(let failure):
            return failure.description
        case .missingCredentials(let sources):
            return "no AWS credentials found; looked in, in order:\n"
                + sources.map { "  - \($0)" }.joined(separator: "\n")
        case .missingRegion(let sources):
            return "no AWS region configured; set one of, in order of precedence:\n"
                + sources.map { "  - \($0)" }.joined(separator: "\n")
        case .credentialSource(let source, let reason):
            return "cannot get AWS credentials from \(source): \(reason)"
        case .configuration(let message):
            return "AWS configuration: \(message)"
        case .input(let message):
            return message
        case .file(let error):
            return error.description
        case .invalidResponse(let operation, let problem):
            return "\(operation): unexpected response: \(problem)"
        case .unprocessedItems(let operation, let tableName, let unprocessed, let attempts):
            return
                "\(operation) on table '\(tableName)': \(unprocessed.count) item(s) still unprocessed after "
                + "\(attempts) attempts (throughput exceeded?)"
        case .accountNotAllowed(let account, let arn, let allowed):
            let list = allowed.joined(separator: ", ")
            return "the credentials belong to account \(account) (\(arn)), not to the allowed account"
                + (allowed.count == 1 ? " " : "s ") + list + "; nothing was sent to DynamoDB"
        case .accountUncheckable(let endpoint):
            return "cannot check the allowed accounts: requests go to \(endpoint) and no STS endpoint is "
                + "configured to ask whose credentials these are (set AWS_ENDPOINT_URL_STS)"
        case .writeRefused(let operation, let tableName, let holder):
            return "\(holder) cannot write: \(operation)" + (tableName.map { " on '\($0)'" } ?? "")
                + " was refused before it was sent (\(holder) only reads)"
        case .itemTooLarge(let problem):
            return problem.description
        case .memoryLimit(let message):
            return message
        }
    }
}

/// An error DynamoDB returned.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error code without its namespace: `ResourceNotFoundException`.
    public var code: String
    /// DynamoDB's message, possibly empty.
    public var message: String
    /// The HTTP status code.
    public var statusCode: Int
    /// The `x-amzn-RequestId` header, for AWS support.
    public var requestID: String?
    /// The operation, `DescribeTable`.
    public var operation: String
    /// The table the request named, when it named one.
    public var tableName: String?
    /// How many attempts were made before giving up.
    public var attempts: Int
    /// The item as it was, when a write's condition failed (`ConditionalCheckFailedException`) and
    /// the request asked for it with `ReturnValuesOnConditionCheckFailure` `ALL_OLD`; nil otherwise.
    /// Never part of ``description``.
    public var item: Item?
    /// Why each action of a cancelled transaction (`TransactionCanceledException`) was cancelled, in
    /// the order of the actions; empty for every other error. Items in it are never part of
    /// ``description``.
    public var cancellationReasons: [CancellationReason] = []

    /// Whether this is a write's failed condition (`ConditionalCheckFailedException`).
    public var isConditionFailure: Bool { code == "ConditionalCheckFailedException" }

    public init(
        code: String, message: String, statusCode: Int, requestID: String? = nil, operation: String,
        tableName: String? = nil, attempts: Int = 1, item: Item? = nil
    ) {
        self.item = item
        self.code = code
        self.message = message
        self.statusCode = statusCode
        self.requestID = requestID
        self.operation = operation
        self.tableName = tableName
        self.attempts = attempts
    }

    public var description: String {
        var text = operation
        if let tableName { text += " on table '\(tableName)'" }
        text += " failed: \(code)"
        if !message.isEmpty { text += ": \(message)" }
        text += " (HTTP \(statusCode)"
        if let requestID { text += ", request id \(requestID)" }
        if attempts > 1 { text += ", after \(attempts) attempts" }
        return text + ")"
    }
}

/// A request that got no usable answer.
public struct TransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for code that reacts to it and for the one message each kind gets.
    public enum Kind: Sendable, Equatable {
        /// Nothing listens at the endpoint: the connection was refused.
        case connectionRefused
        /// The endpoint's host name does not resolve (DNS).
        case hostNotFound
        /// The TLS handshake failed (a certificate, or TLS to a server that speaks plain HTTP).
        case tls
        /// The proxy could not be reached, or refused to open a tunnel to the endpoint.
        case proxy
        /// The connection failed otherwise, or closed before a response.
        case connection
        /// No answer within the timeout.
        case timeout
        /// The body's CRC32 does not match the `x-amz-crc32` header.
        case checksumMismatch
        /// The answer is not a DynamoDB response (not JSON, or an HTTP error without a JSON body).
        case malformedResponse
        /// The caller's task was cancelled while the request was under way.
        case cancelled
    }

    /// What went wrong.
    public var kind: Kind
    /// The details, without secrets: `connection refused`, `HTTP 404 (text/html)`, `2 s`.
    public var reason: String
    /// The endpoint the request went to.
    public var endpoint: String
    /// The operation, `DescribeTable`.
    public var operation: String
    /// The table the request named, when it named one.
    public var tableName: String?
    /// How many attempts were made before giving up.
    public var attempts: Int
    public init(
        kind: Kind, reason: String, endpoint: String, operation: String, tableName: String? = nil,
        attempts: Int = 1
    ) {
        self.kind = kind
        self.reason = reason
        self.endpoint = endpoint
        self.operation = operation
        self.tableName = tableName
        self.attempts = attempts
    }

    /// What happened, without the operation: one sentence per kind, the same for every request that
    /// failed the same way (so a command can state it once rather than once per table).
    public var summary: String {
        switch kind {
        case .connectionRefused:
            return "connection refused by \(endpoint) (is a server listening there?)"
        case .hostNotFound:
            return "cannot resolve the host name of \(endpoint) (check --region and --endpoint-url)"
        case .tls:
            return "TLS handshake with \(endpoint) failed: \(reason)"
        case .proxy:
            return "\(reason) (requests to \(endpoint))"
        case .connection:
            return "connection to \(endpoint) failed: \(reason)"
        case .timeout:
            return "no answer from \(endpoint) within \(reason)"
        case .checksumMismatch:
            return "the answer from \(endpoint) is corrupt: \(reason)"
        case .malformedResponse:
            // STS's operations say which service did not answer in its own protocol.
            let sts = ["AssumeRole", "AssumeRoleWithWebIdentity", "GetCallerIdentity"].contains(operation)
            return sts
                ? "\(endpoint) answered \(reason), which is not an STS response (check AWS_ENDPOINT_URL_STS)"
                : "\(endpoint) answered \(reason), which is not a DynamoDB response "
                    + "(check --region and --endpoint-url)"
        case .cancelled:
            return "cancelled"
        }
    }

    /// `DescribeTable on table 'x': connection refused by http://127.0.0.1:1 (...)`.
    public var description: String {
        var text = operation
        if let tableName { text += " on table '\(tableName)'" }
        text += ": \(summary)"
        if attempts > 1 { text += " (after \(attempts) attempts)" }
        return text
    }
}

/// A value that does not have the expected shape, with the path to it:
/// `Items[3].status: expected a string`.
public struct ValueDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the value is, `Table.KeySchema[0].AttributeName`; empty for the whole document.
    public var path: String
    /// What is wrong with it.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

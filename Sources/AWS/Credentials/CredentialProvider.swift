import DynamoDBModel

/// A source of AWS credentials: one link of a ``CredentialChain``.
///
/// Returning `nil` means "nothing configured here, try the next source"; throwing means the source is
/// configured but broken, which stops the chain (as in the AWS CLI: a failing `credential_process` is
/// reported, not silently skipped).
public protocol CredentialProvider: Sendable {
    /// Where this provider looks, for the missing-credentials message: `environment variables
    /// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`.
    var source: String { get }

    /// The credentials, or `nil` when this source has none.
    func credentials() async throws(DynamoDBError) -> AWSCredentials?
}

/// Credentials given explicitly (flags, code): the first link of the default chain.
public struct StaticCredentialProvider: CredentialProvider {
    private let value: AWSCredentials?
    public let source: String

    /// `source` says where they came from, for `whoami` and messages.
    public init(_ credentials: AWSCredentials?, source: String = "explicit credentials") {
        value = credentials
        self.source = source
    }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? { value }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialProvider: CredentialProvider {
    private let environment: [String: String]

    public init(environment: [String: String] = ProcessEnvironment.current()) {
        self.environment = environment
    }

    public var source: String { "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        let keyID = environment["AWS_ACCESS_KEY_ID"] ?? ""
        let secret = environment["AWS_SECRET_ACCESS_KEY"] ?? ""
        switch (keyID.isEmpty, secret.isEmpty) {
        case (true, true):
            return nil
        case (false, false):
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return AWSCredentials(
                accessKeyID: keyID, secretAccessKey: secret, sessionToken: token,
                accountID: environment["AWS_ACCOUNT_ID"].flatMap { $0.isEmpty ? nil : $0 })
        default:
            let missing = keyID.isEmpty ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"
            throw .credentialSource(source: "the environment", reason: "\(missing) is not set or empty")
        }
    }
}

import DynamoDBModel

/// Web identity (EKS IRSA, CI runners' OIDC tokens): the token in a file, read afresh at each
/// refresh because the platform rotates it, exchanged for a role's credentials through STS
/// `AssumeRoleWithWebIdentity`.
///
/// From the environment (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`) or a
/// profile (`web_identity_token_file`, `role_arn`, `role_session_name`).
public struct WebIdentityCredentialProvider: CredentialProvider {
    /// The file holding the token.
    public let tokenFile: String
    /// The role to assume.
    public let roleARN: String
    /// The session name STS records.
    public let sessionName: String
    /// Where the settings came from: `environment variables AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN`.
    public let origin: String
    private let durationSeconds: Int?
    private let sts: STSClient
    private let fileSystem: any FileSystem

    public init(
        tokenFile: String, roleARN: String, sessionName: String, durationSeconds: Int? = nil, origin: String,
        sts: STSClient, fileSystem: any FileSystem = LocalFileSystem()
    ) {
        self.tokenFile = tokenFile
        self.roleARN = roleARN
        self.sessionName = sessionName
        self.durationSeconds = durationSeconds
        self.origin = origin
        self.sts = sts
        self.fileSystem = fileSystem
    }

    /// The provider the environment configures, `nil` when `AWS_WEB_IDENTITY_TOKEN_FILE` is not set;
    /// a token file without `AWS_ROLE_ARN` is an error, as in the SDKs.
    public static func fromEnvironment(
        _ context: CredentialResolutionContext
    ) throws(DynamoDBError) -> WebIdentityCredentialProvider? {
        let environment = context.environment
        guard let file = environment["AWS_WEB_IDENTITY_TOKEN_FILE"]?.trimmingWhitespace(), !file.isEmpty
        else {
            return nil
        }
        let origin = "environment variables AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN"
        guard let role = environment["AWS_ROLE_ARN"]?.trimmingWhitespace(), !role.isEmpty else {
            throw .credentialSource(
                source: origin, reason: "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
        }
        return WebIdentityCredentialProvider(
            tokenFile: file, roleARN: role,
            sessionName: RoleSessionName.chosen(environment["AWS_ROLE_SESSION_NAME"]), origin: origin,
            sts: try context.stsClient(), fileSystem: context.fileSystem)
    }

    public var source: String { "\(origin) (web identity for \(roleARN))" }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        guard let bytes = try fileSystem.contents(atPath: tokenFile) else {
            throw .credentialSource(source: source, reason: "the token file \(tokenFile) does not exist")
        }
        let token = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        guard !token.isEmpty else {
            throw .credentialSource(source: source, reason: "the token file \(tokenFile) is empty")
        }
        do {
            return try await sts.assumeRoleWithWebIdentity(
                roleARN: roleARN, sessionName: sessionName, webIdentityToken: token,
                durationSeconds: durationSeconds)
        } catch {
            throw .credentialSource(source: source, reason: "STS \(error)")
        }
    }
}

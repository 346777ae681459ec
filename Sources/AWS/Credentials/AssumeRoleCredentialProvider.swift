import DynamoDBModel

/// A profile with `role_arn`: credentials from its source (another profile, or the environment,
/// instance metadata or container credentials) exchanged for the role's through STS `AssumeRole`.
///
/// The source is asked afresh at each refresh, so a chain of roles, or a role whose source is an SSO
/// profile, keeps working as long as its source does. With `mfa_serial` the code is asked for at each
/// `AssumeRole`.
public struct AssumeRoleCredentialProvider: CredentialProvider {
    /// The profile that names the role.
    public let profileName: String
    /// What `AssumeRole` is asked for, the MFA code aside.
    public let request: STSClient.AssumeRoleRequest
    /// The MFA device, when the role needs one.
    public let mfaSerial: String?
    /// Where the credentials that call `AssumeRole` come from.
    public let sourceCredentials: any CredentialProvider
    private let sts: STSClient
    private let mfaCodePrompt: MFACodePrompt?

    public init(
        profileName: String, request: STSClient.AssumeRoleRequest, mfaSerial: String?,
        sourceCredentials: any CredentialProvider, sts: STSClient, mfaCodePrompt: MFACodePrompt?
    ) {
        self.profileName = profileName
        self.request = request
        self.mfaSerial = mfaSerial
        self.sourceCredentials = sourceCredentials
        self.sts = sts
        self.mfaCodePrompt = mfaCodePrompt
    }

    public var source: String { "profile '\(profileName)' (assume role \(request.roleARN))" }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        guard let base = try await sourceCredentials.credentials() else {
            throw .credentialSource(
                source: source, reason: "its source has no credentials (\(sourceCredentials.source))")
        }
        var request = request
        if let mfaSerial {
            guard let prompt = mfaCodePrompt else {
                throw .credentialSource(
                    source: source,
                    reason:
                        "the role needs an MFA code (mfa_serial \(mfaSerial)) and there is no terminal to ask on"
                )
            }
            guard let code = try await prompt(mfaSerial, profileName)?.trimmingWhitespace(), !code.isEmpty
            else {
                throw .credentialSource(
                    source: source,
                    reason: "the role needs an MFA code (mfa_serial \(mfaSerial)) and none was given")
            }
            request.mfa = (mfaSerial, code)
        }
        do {
            return try await sts.assumeRole(request, with: base)
        } catch {
            throw .credentialSource(source: source, reason: "STS \(error)")
        }
    }
}

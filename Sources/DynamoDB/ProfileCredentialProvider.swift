/// A profile of the shared files: its static keys (`aws_access_key_id`, `aws_secret_access_key`,
/// `aws_session_token`, the credentials file winning over the config file), else its
/// `credential_process`.
public struct ProfileCredentialProvider: CredentialProvider {
    private let profileName: String
    private let files: SharedConfigFiles
    private let environment: [String: String]

    public init(profileName: String, files: SharedConfigFiles, environment: [String: String]) {
        self.profileName = profileName
        self.files = files
        self.environment = environment
    }

    public var source: String {
        files.describe(profile: profileName) + " (aws_access_key_id or credential_process)"
    }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        guard let profile = files.profile(profileName) else { return nil }
        let keyID = profile["aws_access_key_id"] ?? ""
        let secret = profile["aws_secret_access_key"] ?? ""
        if !keyID.isEmpty || !secret.isEmpty {
            guard !keyID.isEmpty, !secret.isEmpty else {
                let missing = keyID.isEmpty ? "aws_access_key_id" : "aws_secret_access_key"
                throw .credentialSource(
                    source: files.describe(profile: profileName), reason: "\(missing) is missing")
            }
            let token = profile["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
            return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token)
        }
        if let command = profile["credential_process"], !command.isEmpty {
            return try await ProcessCredentialProvider(
                command: command, profileName: profileName, environment: environment
            ).credentials()
        }
        for unsupported in ["role_arn", "sso_session", "sso_start_url", "web_identity_token_file"]
        where profile[unsupported] != nil {
            throw .configuration(
                "profile '\(profileName)' uses \(unsupported), which this tool does not support; "
                    + "use static keys, credential_process, or export credentials into the environment "
                    + "(for example with `aws configure export-credentials --format env`)")
        }
        return nil
    }
}

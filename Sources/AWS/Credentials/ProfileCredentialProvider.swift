import DynamoDBModel

/// A profile of the shared files, whatever kind of credentials it describes, in botocore's order:
/// `role_arn` (assume a role, from `source_profile` or `credential_source`; with
/// `web_identity_token_file`, web identity), web identity (the environment's `AWS_WEB_IDENTITY_TOKEN_FILE`
/// and `AWS_ROLE_ARN` winning over the profile's), IAM Identity Center (`sso_session` or
/// `sso_start_url`), static keys (the credentials file winning over the config file), then
/// `credential_process`.
///
/// A `source_profile` may be any of these kinds, through chains of any length; a chain that comes back
/// to a profile already in it is refused with the chain named (a profile that is its own source with
/// static keys uses those keys, as in botocore).
public struct ProfileCredentialProvider: CredentialProvider {
    private let profileName: String
    private let context: CredentialResolutionContext
    private let usesEnvironmentWebIdentity: Bool

    /// `usesEnvironmentWebIdentity` is false when the profile was named explicitly: the environment's
    /// web identity variables are the environment's credentials, which an explicit profile replaces.
    public init(
        profileName: String, context: CredentialResolutionContext, usesEnvironmentWebIdentity: Bool = true
    ) {
        self.profileName = profileName
        self.context = context
        self.usesEnvironmentWebIdentity = usesEnvironmentWebIdentity
    }

    public var source: String {
        context.files.describe(profile: profileName)
            + " (role_arn, web identity, sso_session, aws_access_key_id or credential_process)"
    }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        try await resolved()?.credentials()
    }

    /// The provider this profile (or the environment's web identity) amounts to now.
    func resolved() throws(DynamoDBError) -> (any CredentialProvider)? {
        if usesEnvironmentWebIdentity, context.files.profile(profileName)?["role_arn"] == nil,
            let webIdentity = try WebIdentityCredentialProvider.fromEnvironment(context)
        {
            return webIdentity
        }
        return try Self.provider(forProfile: profileName, context: context, chain: [])
    }

    /// What gave the credentials, precisely: `profile 'prod' (assume role ARN)`, `credential_process of
    /// profile 'x'`.
    func resolvedSource() -> String {
        ((try? resolved()) ?? nil)?.source ?? source
    }

    /// The provider that gives `name`'s credentials, `nil` when the profile does not exist or holds
    /// none. `chain` is the profiles that led here through `source_profile`.
    static func provider(
        forProfile name: String, context: CredentialResolutionContext, chain: [String]
    ) throws(DynamoDBError) -> (any CredentialProvider)? {
        let files = context.files
        guard let profile = files.profile(name) else {
            if let referrer = chain.last {
                throw .configuration(
                    "profile '\(referrer)' names source_profile '\(name)', which is not in "
                        + "\(files.configPath) or \(files.credentialsPath)")
            }
            return nil
        }
        func setting(_ key: String) -> String? {
            guard let value = profile[key]?.trimmingWhitespace(), !value.isEmpty else { return nil }
            return value
        }
        let describe = files.describe(profile: name)

        if let roleARN = setting("role_arn") {
            if let tokenFile = setting("web_identity_token_file") {
                return WebIdentityCredentialProvider(
                    tokenFile: tokenFile, roleARN: roleARN,
                    sessionName: RoleSessionName.chosen(setting("role_session_name")),
                    durationSeconds: try duration(setting("duration_seconds"), profile: name),
                    origin: describe, sts: try context.stsClient(), fileSystem: context.fileSystem)
            }
            let base = try sourceProvider(of: profile, named: name, context: context, chain: chain)
            return AssumeRoleCredentialProvider(
                profileName: name,
                request: STSClient.AssumeRoleRequest(
                    roleARN: roleARN, sessionName: RoleSessionName.chosen(setting("role_session_name")),
                    externalID: setting("external_id"),
                    durationSeconds: try duration(setting("duration_seconds"), profile: name)),
                mfaSerial: setting("mfa_serial"), sourceCredentials: base, sts: try context.stsClient(),
                mfaCodePrompt: context.mfaCodePrompt)
        }
        if setting("web_identity_token_file") != nil {
            throw .configuration("\(describe) has web_identity_token_file but no role_arn")
        }
        if setting("sso_session") != nil || setting("sso_start_url") != nil {
            return try ssoProvider(name, context)
        }
        if let keys = try staticKeys(of: profile, describe: describe) {
            return StaticCredentialProvider(keys, source: "aws_access_key_id of \(describe)")
        }
        if let session = setting("login_session") {
            return LoginCredentialProvider(
                profileName: name, loginSession: session, region: context.endpoints.region,
                environment: context.environment, fileSystem: context.fileSystem, network: context.network)
        }
        if let command = setting("credential_process") {
            return ProcessCredentialProvider(
                command: command, profileName: name, environment: context.environment)
        }
        return nil
    }

    /// Where an assume-role profile's own credentials come from.
    private static func sourceProvider(
        of profile: SharedConfigFiles.Profile, named name: String, context: CredentialResolutionContext,
        chain: [String]
    ) throws(DynamoDBError) -> any CredentialProvider {
        let describe = context.files.describe(profile: name)
        let sourceProfile = profile["source_profile"]?.trimmingWhitespace() ?? ""
        let credentialSource = profile["credential_source"]?.trimmingWhitespace() ?? ""
        switch (sourceProfile.isEmpty, credentialSource.isEmpty) {
        case (false, false):
            throw .configuration("\(describe) has both source_profile and credential_source; keep one")
        case (true, true):
            throw .configuration("\(describe) has role_arn but neither source_profile nor credential_source")
        case (true, false):
            switch credentialSource {
            case "Environment":
                return EnvironmentCredentialProvider(environment: context.environment)
            case "Ec2InstanceMetadata":
                return InstanceMetadataCredentialProvider(environment: context.environment)
            case "EcsContainer":
                return ContainerCredentialProvider(
                    environment: context.environment, fileSystem: context.fileSystem)
            default:
                throw .configuration(
                    "\(describe) has credential_source '\(credentialSource.prefix(40))'; "
                        + "expected Environment, Ec2InstanceMetadata or EcsContainer")
            }
        case (false, true):
            // A profile that is its own source uses its own keys (botocore's special case).
            if sourceProfile == name {
                guard let keys = try staticKeys(of: profile, describe: describe) else {
                    throw .configuration("\(describe) is its own source_profile but has no aws_access_key_id")
                }
                return StaticCredentialProvider(keys, source: "aws_access_key_id of \(describe)")
            }
            let path = chain + [name]
            if path.contains(sourceProfile) {
                throw .configuration(
                    "source_profile chain loops: \((path + [sourceProfile]).joined(separator: " -> "))")
            }
            guard let provider = try provider(forProfile: sourceProfile, context: context, chain: path) else {
                throw .configuration(
                    "profile '\(name)' names source_profile '\(sourceProfile)', which has no credentials "
                        + "(no role_arn, sso_session, aws_access_key_id, login_session or credential_process)"
                )
            }
            return provider
        }
    }

    private static func staticKeys(
        of profile: SharedConfigFiles.Profile, describe: String
    ) throws(DynamoDBError) -> AWSCredentials? {
        let keyID = profile["aws_access_key_id"] ?? ""
        let secret = profile["aws_secret_access_key"] ?? ""
        guard !keyID.isEmpty || !secret.isEmpty else { return nil }
        guard !keyID.isEmpty, !secret.isEmpty else {
            let missing = keyID.isEmpty ? "aws_access_key_id" : "aws_secret_access_key"
            throw .credentialSource(source: describe, reason: "\(missing) is missing")
        }
        let token = profile["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(
            accessKeyID: keyID, secretAccessKey: secret, sessionToken: token,
            accountID: profile["aws_account_id"].flatMap { $0.isEmpty ? nil : $0 })
    }

    private static func duration(_ text: String?, profile: String) throws(DynamoDBError) -> Int? {
        guard let text else { return nil }
        guard let seconds = Int(text), (900...43_200).contains(seconds) else {
            throw .configuration(
                "duration_seconds of profile '\(profile)' must be a whole number of seconds from 900 to 43200, "
                    + "not '\(text.prefix(20))'")
        }
        return seconds
    }

    private static func ssoProvider(
        _ name: String, _ context: CredentialResolutionContext
    ) throws(DynamoDBError) -> any CredentialProvider {
        SSOCredentialProvider(
            profileName: name, files: context.files, environment: context.environment,
            fileSystem: context.fileSystem, httpClient: context.httpClient,
            network: context.network)
    }
}

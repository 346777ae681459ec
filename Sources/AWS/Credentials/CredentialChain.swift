import DynamoDBModel

/// Credential providers tried in order, the first with credentials winning; the answer is cached and
/// fetched again from the same provider shortly before it expires. Concurrent callers share one
/// fetch, and a refresh that fails while the cached credentials are still valid keeps using them.
///
/// ``standard(explicit:profileName:profileIsExplicit:context:)`` builds the AWS
/// CLI's order: explicit, environment (unless a profile was named explicitly), shared files (keys or
/// `credential_process`), container, instance metadata. When no
/// provider has credentials the error lists every place that was tried.
public actor CredentialChain: CredentialProvider {
    /// The providers, in the order they are tried.
    public nonisolated let providers: [any CredentialProvider]
    /// How long before expiry cached credentials are fetched again.
    public nonisolated let refreshMargin: Int64
    private let clock: @Sendable () -> UTCTimestamp
    private var cached: (credentials: AWSCredentials, providerIndex: Int)?
    private var inFlight: Task<Result<(AWSCredentials, Int)?, DynamoDBError>, Never>?

    /// A chain of `providers`; `refreshMargin` seconds (five minutes by default, inside the AWS SDKs'
    /// range) before expiry the credentials are fetched again. `clock` is for tests.
    public init(
        _ providers: [any CredentialProvider], refreshMargin: Int64 = 300,
        clock: @escaping @Sendable () -> UTCTimestamp = { UTCTimestamp.now() }
    ) {
        self.providers = providers
        self.refreshMargin = refreshMargin
        self.clock = clock
    }

    /// The AWS CLI's order of credential sources: explicit credentials, the environment's keys
    /// (unless a profile was named explicitly), the profile (``ProfileCredentialProvider``: roles, web
    /// identity, IAM Identity Center, keys, `credential_process`; the environment's web identity
    /// variables take part unless a profile was named explicitly), container credentials, instance
    /// metadata.
    ///
    /// `profileIsExplicit` is true for a profile named by `--profile` or by the embedding program,
    /// not by `AWS_PROFILE`: asking for a profile must never sign with whatever keys happen to be
    /// exported for another account (botocore drops the environment's keys the same way).
    public static func standard(
        explicit: AWSCredentials?, profileName: String, profileIsExplicit: Bool = false,
        context: CredentialResolutionContext
    ) -> CredentialChain {
        var providers: [any CredentialProvider] = []
        if let explicit { providers.append(StaticCredentialProvider(explicit)) }
        if !profileIsExplicit {
            providers.append(EnvironmentCredentialProvider(environment: context.environment))
        }
        providers.append(
            ProfileCredentialProvider(
                profileName: profileName, context: context, usesEnvironmentWebIdentity: !profileIsExplicit))
        providers.append(
            ContainerCredentialProvider(environment: context.environment, fileSystem: context.fileSystem))
        providers.append(
            InstanceMetadataCredentialProvider(
                environment: context.environment, profile: context.files.profile(profileName)))
        return CredentialChain(providers)
    }

    public nonisolated var source: String {
        providers.map(\.source).joined(separator: ", ")
    }

    /// The credentials, or `nil` when no provider has any.
    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        if let cached, !isExpiring(cached.credentials) {
            return cached.credentials
        }
        let task: Task<Result<(AWSCredentials, Int)?, DynamoDBError>, Never>
        if let inFlight {
            task = inFlight
        } else {
            // One fetch at a time: callers arriving meanwhile wait for the same answer instead of
            // running a credential_process again.
            let providers = self.providers
            let preferred = cached?.providerIndex
            task = Task { await Self.fetch(from: providers, preferring: preferred) }
            inFlight = task
        }
        // A caller that gives up (a script's deadline, Ctrl-C) stops the fetch too: a credential_process
        // that never answers is killed rather than left running.
        let result = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        inFlight = nil
        switch result {
        case .success(let found?):
            cached = found
            return found.0
        case .success(nil):
            return nil
        case .failure(let error):
            // A refresh that fails before the credentials have actually expired is not worth failing
            // a long apply for: keep signing with them, and try again on the next request.
            if let cached, !isExpired(cached.credentials) {
                return cached.credentials
            }
            throw error
        }
    }

    /// The provider that gave the cached credentials, described as precisely as it can say (a
    /// profile names its kind: role, web identity, SSO, keys or process); `nil` before any answer.
    public func answeringSource() -> String? {
        guard let index = cached?.providerIndex else { return nil }
        let provider = providers[index]
        if let profile = provider as? ProfileCredentialProvider { return profile.resolvedSource() }
        return provider.source
    }

    /// The credentials, or `DynamoDBError.missingCredentials(lookedIn:)` listing every source.
    public func resolve() async throws(DynamoDBError) -> AWSCredentials {
        guard let credentials = try await credentials() else {
            throw .missingCredentials(lookedIn: providers.map(\.source))
        }
        return credentials
    }

    private func isExpired(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return clock() >= expiration
    }

    private func isExpiring(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return clock() >= expiration.adding(seconds: -refreshMargin)
    }

    private static func fetch(
        from providers: [any CredentialProvider], preferring preferred: Int?
    ) async -> Result<(AWSCredentials, Int)?, DynamoDBError> {
        // A refresh asks the provider that answered before, as the AWS SDKs do.
        let order = preferred.map { [$0] } ?? Array(providers.indices)
        for index in order {
            do {
                if let credentials = try await providers[index].credentials() {
                    return .success((credentials, index))
                }
            } catch {
                return .failure(error)
            }
        }
        return .success(nil)
    }
}

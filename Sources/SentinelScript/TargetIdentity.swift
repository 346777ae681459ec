import DynamoDB

/// Who a target's credentials belong to and where its requests go: what the header above each
/// target's output says.
public struct TargetIdentity: Sendable, Equatable {
    /// The account STS named; nil when there is no STS endpoint to ask or it could not answer.
    public var account: String?
    /// The caller's ARN, from STS.
    public var arn: String?
    public var region: String
    public var endpoint: String
    /// Where the credentials came from (`profile 'sentinel-dev' (assume role ...)`).
    public var credentialsSource: String
    /// Why STS could not say, when the account is unknown though there is an STS endpoint.
    public var stsProblem: String?

    public init(
        account: String? = nil, arn: String? = nil, region: String, endpoint: String,
        credentialsSource: String, stsProblem: String? = nil
    ) {
        self.account = account
        self.arn = arn
        self.region = region
        self.endpoint = endpoint
        self.credentialsSource = credentialsSource
        self.stsProblem = stsProblem
    }

    /// Resolves the credentials, asks STS whose they are (once per client) and checks the account
    /// guard, before any DynamoDB request. An STS that cannot be reached leaves the account unknown,
    /// unless a guard needs it: then, like an account not allowed, it is thrown.
    static func check(_ client: DynamoDBClient) async throws(DynamoDBError) -> TargetIdentity {
        let configuration = client.configuration
        let (identity, stsProblem) = try await client.resolvedCallerIdentity(toleratingSTS: true)
        try await client.checkAllowedAccount()
        return TargetIdentity(
            account: identity?.account, arn: identity?.arn, region: configuration.region,
            endpoint: configuration.endpoint.description,
            credentialsSource: await configuration.credentialsSourceDescription(), stsProblem: stsProblem)
    }
}

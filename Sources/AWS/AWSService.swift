/// A service this package talks to, with the names the SDKs' endpoint settings use for it.
public struct AWSService: Sendable, Hashable {
    /// The signing name (`dynamodb`, `sts`) and the key of its sub-section in a `[services NAME]`
    /// section of the config file.
    public var configKey: String
    /// The suffix of its `AWS_ENDPOINT_URL_<SERVICE>` variable.
    public var environmentSuffix: String
    /// The first label of its regional host name: `dynamodb` in `dynamodb.us-east-1.amazonaws.com`.
    var hostPrefix: String

    public static let dynamoDB = AWSService(
        configKey: "dynamodb", environmentSuffix: "DYNAMODB", hostPrefix: "dynamodb")
    /// DynamoDB Streams (`streams.dynamodb.REGION...`), signed as `dynamodb`: what `watch` follows.
    public static let dynamoDBStreams = AWSService(
        configKey: "dynamodb_streams", environmentSuffix: "DYNAMODB_STREAMS", hostPrefix: "streams.dynamodb")
    public static let sts = AWSService(configKey: "sts", environmentSuffix: "STS", hostPrefix: "sts")
    /// IAM Identity Center's portal (`GetRoleCredentials`).
    public static let sso = AWSService(configKey: "sso", environmentSuffix: "SSO", hostPrefix: "portal.sso")
    /// IAM Identity Center's OIDC service (`CreateToken`, the token refresh).
    public static let ssoOIDC = AWSService(
        configKey: "sso_oidc", environmentSuffix: "SSO_OIDC", hostPrefix: "oidc")

    /// The variable that sets this service's endpoint.
    public var environmentVariable: String { "AWS_ENDPOINT_URL_\(environmentSuffix)" }
}

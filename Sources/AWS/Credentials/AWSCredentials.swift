import DynamoDBModel

/// An AWS access key pair, with a session token for temporary credentials.
///
/// Its `description` and `debugDescription` never show the secret key or the token (and only the
/// first four characters of the access key id), so credentials can be logged or interpolated into an
/// error by mistake without leaking.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The access key id (`AKIA...` or `ASIA...`).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `X-Amz-Security-Token`.
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: UTCTimestamp?
    /// The account the credentials belong to, when their source says (`AWS_ACCOUNT_ID`,
    /// `aws_account_id`, an assumed role's ARN, an SSO profile's account, `credential_process`'s
    /// `AccountId`): what account-based endpoints are built from. Not a secret.
    public var accountID: String?

    public init(
        accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil,
        expiration: UTCTimestamp? = nil, accountID: String? = nil
    ) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.accountID = accountID
    }

    public var description: String {
        let shownKey = accessKeyID.count > 8 ? "\(accessKeyID.prefix(4))****" : "****"
        var text = "AWSCredentials(accessKeyID: \(shownKey), secretAccessKey: <redacted>"
        if sessionToken != nil { text += ", sessionToken: <redacted>" }
        if let expiration { text += ", expiration: \(expiration)" }
        return text + ")"
    }

    public var debugDescription: String { description }

    /// `dump` and debuggers show the redacted description, not the stored properties.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .struct)
    }
}

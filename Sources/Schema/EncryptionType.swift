/// Which key encrypts a table at rest: `DEFAULT` (owned by AWS, DynamoDB's default), `KMS` (the
/// AWS-managed KMS key `alias/aws/dynamodb`) or `CUSTOMER_KEY` (a customer managed KMS key).
///
/// Held as text so a wrong name from user input reaches validation (see ``SchemaKeyword``).
public struct EncryptionType: SchemaKeyword {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// `DEFAULT`: a key owned by AWS; no SSESpecification is sent.
    public static let `default` = EncryptionType(rawValue: "DEFAULT")
    /// `KMS`: the AWS-managed KMS key for DynamoDB.
    public static let kms = EncryptionType(rawValue: "KMS")
    /// `CUSTOMER_KEY`: a customer managed KMS key, named by ``Encryption/kmsKey``.
    public static let customerKey = EncryptionType(rawValue: "CUSTOMER_KEY")

    public static let allKnown: [EncryptionType] = [.default, .kms, .customerKey]
}

/// A table's encryption at rest: the type, and the key when it is a customer key (Lua's
/// `encryption = { type = ..., kms_key = ... }`).
///
/// Type and key are separate so that a key given with the wrong type can be held and reported.
public struct Encryption: Sendable, Equatable {
    /// Which kind of key.
    public var type: EncryptionType
    /// The customer managed key, as a key ARN, alias ARN, alias name (`alias/NAME`) or key id. Only
    /// allowed, and required, with ``EncryptionType/customerKey``; `nil` and `""` both mean none.
    public var kmsKey: String?

    public init(type: EncryptionType, kmsKey: String? = nil) {
        self.type = type
        self.kmsKey = kmsKey
    }

    /// Encryption with a key owned by AWS (DynamoDB's default).
    public static let `default` = Encryption(type: .default)

    /// Encryption with the AWS-managed KMS key (`SSEType: KMS` with no key id), as Sentinel uses.
    public static let awsManagedKMS = Encryption(type: .kms)

    /// Encryption with a customer managed KMS key.
    public static func customerKey(_ key: String) -> Encryption {
        Encryption(type: .customerKey, kmsKey: key)
    }

    /// The key when one is given: `nil` for a missing or empty ``kmsKey``.
    var givenKey: String? {
        guard let kmsKey, !kmsKey.isEmpty else { return nil }
        return kmsKey
    }
}

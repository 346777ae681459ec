/// A KMS key as DynamoDB's `KMSMasterKeyId` accepts it: a key ARN, an alias ARN, an alias name or a
/// key id.
///
/// Parsed once so that validation can check the form and the IAM policy can name the key in the right
/// ARN shape.
public enum KMSKeyReference: Sendable, Equatable {
    /// `arn:PARTITION:kms:REGION:ACCOUNT:key/KEY_ID`.
    case keyARN(partition: String, region: String, account: String, keyID: String)
    /// `arn:PARTITION:kms:REGION:ACCOUNT:alias/NAME`; `alias` keeps the `alias/` prefix.
    case aliasARN(partition: String, region: String, account: String, alias: String)
    /// `alias/NAME`, in the caller's region and account.
    case aliasName(String)
    /// A key id: a UUID, or `mrk-` and 32 hex digits for a multi-Region key.
    case keyID(String)

    /// The reference `text` makes, or `nil` when it is none of the four forms.
    public init?(_ text: String) {
        if text.hasPrefix("arn:") {
            let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(
                String.init)
            guard parts.count == 6, parts[2] == "kms", ARNScope.isPartition(parts[1]),
                ARNScope.isRegion(parts[3]), ARNScope.isAccountID(parts[4])
            else { return nil }
            let resource = parts[5]
            if resource.hasPrefix("key/"), Self.isKeyID(String(resource.dropFirst(4))) {
                self = .keyARN(
                    partition: parts[1], region: parts[3], account: parts[4],
                    keyID: String(resource.dropFirst(4)))
            } else if Self.isAliasName(resource) {
                self = .aliasARN(partition: parts[1], region: parts[3], account: parts[4], alias: resource)
            } else {
                return nil
            }
        } else if Self.isAliasName(text) {
            self = .aliasName(text)
        } else if Self.isKeyID(text) {
            self = .keyID(text)
        } else {
            return nil
        }
    }

    /// The alias (`alias/NAME`) for the alias forms.
    public var alias: String? {
        switch self {
        case .aliasARN(_, _, _, let alias), .aliasName(let alias): alias
        case .keyARN, .keyID: nil
        }
    }

    /// Whether this names an alias AWS reserves for its own managed keys (`alias/aws/...`), which is
    /// not a customer key.
    public var isAWSManagedAlias: Bool {
        alias?.hasPrefix("alias/aws/") ?? false
    }

    /// `alias/` and 1 to 250 of `[A-Za-z0-9/_-]` (KMS's alias rule: 256 in all).
    static func isAliasName(_ text: String) -> Bool {
        guard text.hasPrefix("alias/") else { return false }
        let name = text.utf8.dropFirst(6)
        return (1...250).contains(name.count)
            && name.allSatisfy { byte in
                isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: "-")
            }
    }

    /// A UUID (8-4-4-4-12 hex digits) or `mrk-` and 32 hex digits.
    static func isKeyID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        if text.hasPrefix("mrk-") {
            return bytes.count == 36 && bytes.dropFirst(4).allSatisfy(isHexDigit)
        }
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.utf8.count) == [8, 4, 4, 4, 12]
            && groups.allSatisfy { $0.utf8.allSatisfy(isHexDigit) }
    }
}

func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
}

func isHexDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
}

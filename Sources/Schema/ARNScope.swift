/// Where ARNs point: the partition, region and account that a policy's resources use.
///
/// The partition follows the region (`aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, the isolated
/// partitions for theirs, `aws` otherwise) because an ARN in the wrong partition matches nothing. A
/// missing region or account becomes `*`, as in Sentinel's generated policies, so a policy can be
/// written before the account is known.
public struct ARNScope: Sendable, Equatable {
    /// `aws`, `aws-cn`, `aws-us-gov`...
    public var partition: String
    /// The region, or `*`.
    public var region: String
    /// The account id, or `*`.
    public var account: String

    /// The scope of `region` and `accountID`; `nil` or empty means any (`*`).
    public init(region: String? = nil, accountID: String? = nil) {
        let region = region.flatMap { $0.isEmpty ? nil : $0 }
        self.partition = region.map(Self.partition(forRegion:)) ?? "aws"
        self.region = region ?? "*"
        self.account = accountID.flatMap { $0.isEmpty ? nil : $0 } ?? "*"
    }

    /// The partition that `region` belongs to.
    public static func partition(forRegion region: String) -> String {
        // Longest prefixes first: `us-isob-` must not be taken for `us-iso-`.
        let prefixes: [(String, String)] = [
            ("us-gov-", "aws-us-gov"), ("cn-", "aws-cn"), ("us-isob-", "aws-iso-b"),
            ("us-isof-", "aws-iso-f"),
            ("eu-isoe-", "aws-iso-e"), ("us-iso-", "aws-iso"), ("eusc-", "aws-eusc"),
        ]
        return prefixes.first { region.hasPrefix($0.0) }?.1 ?? "aws"
    }

    /// The ARN of table `name`.
    public func tableARN(_ name: String) -> String {
        "arn:\(partition):dynamodb:\(region):\(account):table/\(name)"
    }

    /// The ARN pattern of every index of table `name`.
    public func tableIndexesARN(_ name: String) -> String {
        tableARN(name) + "/index/*"
    }

    /// The ARN pattern of every stream of table `name` (a stream's ARN ends in its creation time).
    public func tableStreamsARN(_ name: String) -> String {
        tableARN(name) + "/stream/*"
    }

    /// The ARN of the KMS key with id `keyID`.
    public func kmsKeyARN(keyID: String) -> String {
        "arn:\(partition):kms:\(region):\(account):key/\(keyID)"
    }

    /// Problems with a region or account id that a user gave for a policy, at the paths `region` and
    /// `account`; a policy with a mistyped account would silently grant nothing.
    public static func problems(region: String?, accountID: String?) -> [SchemaProblem] {
        var problems: [SchemaProblem] = []
        if let region, !region.isEmpty, !isRegion(region) {
            problems.append(
                SchemaProblem(
                    path: "region", message: "invalid region '\(region)' (expected a name such as us-east-1)")
            )
        }
        if let accountID, !accountID.isEmpty, !isAccountID(accountID) {
            problems.append(
                SchemaProblem(
                    path: "account", message: "invalid account id '\(accountID)' (expected 12 digits)"))
        }
        return problems
    }

    /// `aws` or `aws-` and lowercase letters and hyphens.
    static func isPartition(_ text: String) -> Bool {
        text == "aws"
            || (text.hasPrefix("aws-") && text.utf8.count > 4
                && text.utf8.allSatisfy {
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: "-")
                })
    }

    /// Lowercase words and a number joined by hyphens, at least three parts: `us-east-1`, `us-gov-west-1`.
    static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let number = parts.last, !number.isEmpty,
            number.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return false }
        return parts.dropLast().allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
        }
    }

    /// Twelve digits.
    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}

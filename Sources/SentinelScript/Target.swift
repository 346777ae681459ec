import DynamoDB

/// One named place the tables live: an AWS account (guarded), a profile, a region, and the arguments
/// the script is run with there. A targets file (``TargetsFile``) names several; ``Fleet`` runs a
/// script on each.
public struct Target: Sendable, Equatable {
    /// The name the command line and reports use (`dev`, `prod-eu`).
    public var name: String
    /// The profile of the shared AWS files whose credentials act on this target.
    public var profile: String?
    /// The region; nil leaves it to the profile and the environment.
    public var region: String?
    /// Where DynamoDB requests go instead of AWS (a local server).
    public var endpointURL: String?
    /// Where STS requests go (the account check, assumed roles): for a local or private setup whose
    /// DynamoDB endpoint has an STS beside it. Without it, a target with `endpointURL` has no STS to
    /// ask unless the environment or its profile names one.
    public var stsEndpointURL: String?
    /// The account the credentials must belong to: any other stops the target before its first
    /// DynamoDB request.
    public var account: String?
    /// The script's `arg[1..]` on this target.
    public var arguments: [String]
    /// Whether apply and delete on this target ask again, by name, even when told not to ask.
    public var isProtected: Bool

    public init(
        name: String, profile: String? = nil, region: String? = nil, endpointURL: String? = nil,
        account: String? = nil, arguments: [String] = [], isProtected: Bool = false,
        stsEndpointURL: String? = nil
    ) {
        self.name = name
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
        self.stsEndpointURL = stsEndpointURL
        self.account = account
        self.arguments = arguments
        self.isProtected = isProtected
    }

    /// `base` (the command's options, the embedding program's) with what this target sets: its
    /// profile, region and endpoint win, and its account becomes the account guard. When `base`
    /// already allows only some accounts and the target's is not one of them, `base`'s guard stays
    /// (``accountConflict(with:)`` says so before anything is sent).
    public func awsOptions(over base: DynamoDBConfiguration.Options) -> DynamoDBConfiguration.Options {
        var options = base
        if let profile {
            options.profile = profile
            // The profile names the credentials, as --profile does: keys given for the whole
            // command must not stand in for them.
            options.credentials = nil
        }
        if let region { options.region = region }
        if let endpointURL { options.endpoint = endpointURL }
        if let stsEndpointURL { options.stsEndpoint = stsEndpointURL }
        if let account, base.allowedAccounts.isEmpty || base.allowedAccounts.contains(account) {
            options.allowedAccounts = [account]
        }
        return options
    }

    /// Why this target's account can never pass `base`'s own account guard, if it cannot.
    public func accountConflict(with base: DynamoDBConfiguration.Options) -> String? {
        guard let account, !base.allowedAccounts.isEmpty, !base.allowedAccounts.contains(account) else {
            return nil
        }
        return "the target's account \(account) is not among the allowed accounts "
            + base.allowedAccounts.joined(separator: ", ") + "; nothing was sent to DynamoDB"
    }
}

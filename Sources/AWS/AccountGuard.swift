import DynamoDBModel

/// The allowed-account guard, held by the credentials rather than by a client: every credential set
/// (the first answer, a refresh, a renewed role, a refreshed SSO token's) is checked with STS
/// `GetCallerIdentity` once, before anything is signed with it, so credentials that change account
/// mid-run (a `credential_process` whose second answer is another account's role) never sign a
/// DynamoDB request.
///
/// A guard that names no account, or anything but 12-digit account ids, refuses every credential set:
/// a typo in the setting must never mean "no guard".
package actor AccountGuard {
    /// The credential set checked last, and the allowed accounts it was checked against.
    private var lastChecked: (credentials: AWSCredentials, allowed: [String])?

    package init() {}

    /// Throws unless `credentials` belong to one of `allowed`; asks STS at `stsEndpoint` for a set not
    /// seen before.
    package func check(
        _ credentials: AWSCredentials, allowed: [String], stsEndpoint: Endpoint?, region: String,
        endpoint: String, network: NetworkSettings = .direct
    ) async throws(DynamoDBError) {
        if let lastChecked, lastChecked.credentials == credentials, lastChecked.allowed == allowed { return }
        if let problem = Self.settingProblem(allowed) { throw .configuration(problem) }
        guard let stsEndpoint else { throw .accountUncheckable(endpoint: endpoint) }
        let identity = try await STSClient(endpoint: stsEndpoint, region: region, network: network)
            .callerIdentity(
                with: credentials)
        guard allowed.contains(identity.account) else {
            throw .accountNotAllowed(account: identity.account, arn: identity.arn, allowed: allowed)
        }
        lastChecked = (credentials, allowed)
    }

    /// Why `allowed` is not a usable guard, if it is not.
    static func settingProblem(_ allowed: [String]) -> String? {
        let wrong = allowed.filter { !isAccountID($0) }
        if allowed.isEmpty || allowed.allSatisfy(\.isEmpty) {
            return "the allowed-account guard names no account (an empty entry in "
                + "SENTINEL_TABLES_ALLOWED_ACCOUNTS?); refusing to sign anything unguarded"
        }
        guard let first = wrong.first else { return nil }
        return
            "the allowed-account guard names '\(first.prefix(40))', which is not a 12-digit AWS account id; "
            + "refusing to sign anything unguarded"
    }

    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}

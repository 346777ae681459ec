import DynamoDBModel

extension RetryPolicy {
    /// `defaults` with the retry mode and attempts the environment or the profile set, in the SDKs'
    /// order: `AWS_RETRY_MODE` before the profile's `retry_mode`, `AWS_MAX_ATTEMPTS` before its
    /// `max_attempts`. `legacy` (botocore's pre-standard mode) is read as `standard`, which replaced it.
    public static func configured(
        defaults: RetryPolicy, environment: [String: String], profile: SharedConfigFiles.Profile?
    ) throws(DynamoDBError) -> RetryPolicy {
        var policy = defaults
        func setting(_ variable: String, _ key: String) -> (source: String, value: String)? {
            if let value = environment[variable]?.trimmingWhitespace(), !value.isEmpty {
                return (variable, value)
            }
            if let profile, let value = profile[key]?.trimmingWhitespace(), !value.isEmpty {
                return ("\(key) in profile '\(profile.name)'", value)
            }
            return nil
        }
        if let (source, value) = setting("AWS_RETRY_MODE", "retry_mode") {
            switch value.lowercased() {
            case "standard", "legacy": policy.mode = .standard
            case "adaptive": policy.mode = .adaptive
            default:
                throw .configuration(
                    "\(source) must be standard or adaptive (legacy is read as standard), not '\(value.prefix(40))'"
                )
            }
        }
        if let (source, value) = setting("AWS_MAX_ATTEMPTS", "max_attempts") {
            // Nine digits at most: a longer number is a typo, not a count to convert (and trap on).
            guard (1...9).contains(value.utf8.count),
                value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let attempts = Int(value), attempts >= 1
            else {
                throw .configuration(
                    "\(source) must be a whole number of attempts of at least 1, not '\(value.prefix(40))'")
            }
            policy.maxAttempts = attempts
        }
        return policy
    }
}

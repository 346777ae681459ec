/// What a schema says about its table's resource-based policy (`resource_policy`).
///
/// A policy is often owned by someone else (a security team, another stack), so a schema that does not
/// name one leaves it alone, as Terraform's separate `aws_dynamodb_resource_policy` does: only
/// `resource_policy = false` asks for a table without a policy.
public enum ResourcePolicySetting: Sendable, Equatable {
    /// No `resource_policy` field: plan and apply neither change the live policy nor need to read it.
    case unmanaged
    /// `resource_policy = false`: the table must have no policy; a live one is deleted.
    case noPolicy
    /// The policy as JSON text: put when the live policy differs (see ``ResourcePolicy``).
    case policy(String)

    /// The policy text, when the schema gives one.
    public var text: String? {
        if case .policy(let text) = self { text } else { nil }
    }

    /// Whether the schema decides the table's policy (a policy, or none).
    public var isManaged: Bool {
        self != .unmanaged
    }
}

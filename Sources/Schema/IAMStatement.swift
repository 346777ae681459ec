import JSON

/// One statement of an IAM policy.
public struct IAMStatement: Sendable, Equatable {
    /// The statement id.
    public var sid: String
    /// `Allow` or `Deny`.
    public var effect: String
    /// Actions such as `dynamodb:GetItem`.
    public var actions: [String]
    /// Resource ARNs or patterns.
    public var resources: [String]
    /// A `Condition` block, if any.
    public var condition: JSONValue?

    public init(
        sid: String, effect: String = "Allow", actions: [String], resources: [String],
        condition: JSONValue? = nil
    ) {
        self.sid = sid
        self.effect = effect
        self.actions = actions
        self.resources = resources
        self.condition = condition
    }

    /// The statement as IAM's JSON: `Sid`, `Effect`, `Action`, `Resource`, then `Condition`; actions
    /// and resources always as arrays, as Sentinel writes them.
    public var document: JSONValue {
        var statement: JSONObject = [
            "Sid": .string(sid),
            "Effect": .string(effect),
            "Action": .array(actions.map(JSONValue.string)),
            "Resource": .array(resources.map(JSONValue.string)),
        ]
        statement["Condition"] = condition
        return .object(statement)
    }
}

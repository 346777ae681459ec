import DynamoDB

/// A step DynamoDB does not allow yet (a TTL change within an hour of the last one): apply carries out
/// everything else, reports the table `PENDING` with this, and a later apply carries it out.
public struct PendingChange: Sendable, Equatable, CustomStringConvertible {
    /// The step that must wait, as the plan shows it.
    public var step: PlanStep
    /// The moment from which it can run (at the latest: DynamoDB does not say when its hour began when
    /// the change before it was made by someone else).
    public var notBefore: UTCTimestamp
    /// The rule that makes it wait.
    public var reason: String

    public init(step: PlanStep, notBefore: UTCTimestamp, reason: String) {
        self.step = step
        self.notBefore = notBefore
        self.reason = reason
    }

    public var description: String {
        "\(step.summary) can run from \(notBefore) (\(reason)); apply again then to finish"
    }
}

/// Progress of apply and delete, for a terminal display or log lines.
public enum ProvisioningEvent: Sendable, Equatable {
    case planned(TablePlan)
    case stepStarted(table: String, step: PlanStep)
    /// Still waiting for `what` (`table ACTIVE`, `index gsi-x ACTIVE`) after `elapsed`.
    case waiting(table: String, what: String, elapsed: Duration)
    /// A step's request was refused for a reason DynamoDB's rules say will pass (``DynamoDBRules``):
    /// it is sent again after `delay`.
    case retrying(table: String, step: PlanStep, reason: String, delay: Duration)
    case finished(ApplyResult)
    case deleted(table: String)
}

/// Where events go; called from any task.
public typealias ProvisioningEventHandler = @Sendable (ProvisioningEvent) -> Void

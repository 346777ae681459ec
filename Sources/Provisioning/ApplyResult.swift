import DynamoDB

/// What apply did to one table.
public struct ApplyResult: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// The table did not exist and now matches its schema.
        case created = "CREATED"
        /// The table existed and was changed to match.
        case updated = "UPDATED"
        /// The table already matched: nothing was done.
        case exists = "EXISTS"
        /// The table could not be made to match: see ``error``.
        case failed = "FAILED"
        /// Everything that could be done now was done; the rest must wait for DynamoDB's rules (a TTL
        /// change allowed an hour after the last one): see ``pendingChange``. A later apply finishes it.
        case pending = "PENDING"
    }

    public var table: String
    public var status: Status
    public var arn: String?
    /// The steps carried out, in order.
    public var steps: [PlanStep]
    /// For a table that failed or was interrupted: the steps of its plan that were not carried out.
    public var notDone: [PlanStep]
    /// For an interrupted table: the step whose request was sent but whose answer was never seen, so
    /// it may have changed the table (a table created, a stream disabled). The next plan says.
    public var mayHaveRun: [PlanStep]
    public var error: ProvisioningError?
    /// For a `PENDING` table: what must wait, and from when it can run.
    public var pendingChange: PendingChange?

    public init(
        table: String, status: Status, arn: String? = nil, steps: [PlanStep] = [], notDone: [PlanStep] = [],
        mayHaveRun: [PlanStep] = [], error: ProvisioningError? = nil, pendingChange: PendingChange? = nil
    ) {
        self.mayHaveRun = mayHaveRun
        self.table = table
        self.status = status
        self.arn = arn
        self.steps = steps
        self.notDone = notDone
        self.error = error
        self.pendingChange = pendingChange
    }

    /// Whether the table's work was stopped by Ctrl-C or a cancelled task.
    public var wasInterrupted: Bool {
        if case .cancelled? = error { return true }
        return false
    }
}

import Schema

/// What converging one table needs: the steps, in order, and the changes that would need a new table.
public struct TablePlan: Sendable, Equatable {
    public var table: String
    /// Whether the table exists now (false in an offline plan).
    public var exists: Bool
    public var steps: [PlanStep]
    /// Non-empty means the table must not be touched at all: ``steps`` are then only what else differs.
    public var blocked: [BlockedChange]

    public init(table: String, exists: Bool, steps: [PlanStep], blocked: [BlockedChange] = []) {
        self.table = table
        self.exists = exists
        self.steps = steps
        self.blocked = blocked
    }

    /// Nothing to do and nothing blocked.
    public var isUpToDate: Bool { steps.isEmpty && blocked.isEmpty }
}

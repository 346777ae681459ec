import JSON

/// Apply results for people and for machines.
public enum ApplyReport {
    /// One table's result on one line, as a column of a summary table: `CREATED (3 steps)`, `up to
    /// date`, `FAILED: ...` (the reason's first line), `PENDING: ...`, `INTERRUPTED`.
    public static func oneLine(_ result: ApplyResult) -> String {
        switch result.status {
        case .failed where result.wasInterrupted: return "INTERRUPTED"
        case .failed:
            let reason = result.error?.description ?? "unknown error"
            return "FAILED: " + (reason.split(separator: "\n").first.map(String.init) ?? reason)
        case .exists: return "up to date"
        case .pending: return "PENDING: \(result.pendingChange?.description ?? "a change must wait")"
        case .created, .updated:
            let count = result.steps.count
            return "\(result.status.rawValue) (\(count) step\(count == 1 ? "" : "s"))"
        }
    }

    /// `sentinel-sessions: CREATED (3 steps)` per table, then a summary line.
    public static func text(_ results: [ApplyResult]) -> String {
        var lines = results.map { result -> String in
            switch result.status {
            case .failed where result.wasInterrupted: return interruptedLines(result)
            case .failed: return "\(result.table): FAILED: \(result.error?.description ?? "unknown error")"
            case .exists: return "\(result.table): up to date"
            case .pending: return pendingLines(result)
            case .created, .updated:
                let count = result.steps.count
                return "\(result.table): \(result.status.rawValue) (\(count) step\(count == 1 ? "" : "s"))"
            }
        }
        let interrupted = results.filter(\.wasInterrupted).count
        let failed = results.filter { $0.status == .failed }.count - interrupted
        let changed = results.filter { $0.status == .created || $0.status == .updated }.count
        let pending = results.filter { $0.status == .pending }.count
        let upToDate = results.count - changed - failed - interrupted - pending
        var summary = "Apply: \(changed) changed, \(upToDate) up to date, \(failed) failed"
        if pending > 0 { summary += ", \(pending) pending (apply again after the time shown)" }
        if interrupted > 0 { summary += ", \(interrupted) interrupted (apply again to finish)" }
        lines.append(summary + ".")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `t: INTERRUPTED` and what was done and what was not, one step a line.
    private static func interruptedLines(_ result: ApplyResult) -> String {
        var lines = ["\(result.table): INTERRUPTED"]
        lines += result.steps.map { "  done:     \($0.symbol) \($0.summary)" }
        lines += result.mayHaveRun.map {
            "  may have run: \($0.symbol) \($0.summary) (sent, its answer not seen: plan shows whether it did)"
        }
        lines += result.notDone.map { "  not done: \($0.symbol) \($0.summary)" }
        if result.steps.isEmpty, result.notDone.isEmpty, result.mayHaveRun.isEmpty {
            lines.append("  nothing was changed")
        }
        return lines.joined(separator: "\n")
    }

    /// `t: PENDING: enable TTL on b can run from TIME (...)`, then what was done and what waits.
    private static func pendingLines(_ result: ApplyResult) -> String {
        var lines = ["\(result.table): PENDING: \(result.pendingChange?.description ?? "a change must wait")"]
        lines += result.steps.map { "  done:     \($0.symbol) \($0.summary)" }
        lines += result.notDone.map { "  pending:  \($0.symbol) \($0.summary)" }
        return lines.joined(separator: "\n")
    }

    /// `{"tables":[{"table":, "status":, "arn":, "steps":[...], "error":}]}`.
    public static func json(_ results: [ApplyResult]) -> JSONValue {
        ["tables": .array(results.map(json))]
    }

    public static func json(_ result: ApplyResult) -> JSONValue {
        var object: JSONObject = ["table": .string(result.table), "status": .string(result.status.rawValue)]
        object["arn"] = result.arn.map(JSONValue.string)
        object["steps"] = .array(result.steps.map(PlanReport.json))
        if !result.notDone.isEmpty { object["not_done"] = .array(result.notDone.map(PlanReport.json)) }
        if !result.mayHaveRun.isEmpty {
            object["may_have_run"] = .array(result.mayHaveRun.map(PlanReport.json))
        }
        object["error"] = result.error.map { .string($0.description) }
        if let pending = result.pendingChange {
            object["pending"] = [
                "step": PlanReport.json(pending.step), "not_before": .string(pending.notBefore.description),
                "reason": .string(pending.reason),
            ]
        }
        return .object(object)
    }
}

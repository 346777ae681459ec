import JSON

/// Apply results for people and for machines.
public enum ApplyReport {
    /// `sentinel-sessions: CREATED (3 steps)` per table, then a summary line.
    public static func text(_ results: [ApplyResult]) -> String {
        var lines = results.map { result -> String in
            switch result.status {
            case .failed: return "\(result.table): FAILED: \(result.error?.description ?? "unknown error")"
            case .exists: return "\(result.table): up to date"
            case .created, .updated:
                let count = result.steps.count
                return "\(result.table): \(result.status.rawValue) (\(count) step\(count == 1 ? "" : "s"))"
            }
        }
        let failed = results.filter { $0.status == .failed }.count
        let changed = results.filter { $0.status == .created || $0.status == .updated }.count
        lines.append(
            "Apply: \(changed) changed, \(results.count - changed - failed) up to date, \(failed) failed.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"tables":[{"table":, "status":, "arn":, "steps":[...], "error":}]}`.
    public static func json(_ results: [ApplyResult]) -> JSONValue {
        ["tables": .array(results.map(json))]
    }

    public static func json(_ result: ApplyResult) -> JSONValue {
        var object: JSONObject = ["table": .string(result.table), "status": .string(result.status.rawValue)]
        object["arn"] = result.arn.map(JSONValue.string)
        object["steps"] = .array(result.steps.map(PlanReport.json))
        object["error"] = result.error.map { .string($0.description) }
        return .object(object)
    }
}

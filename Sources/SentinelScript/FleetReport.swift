import JSON
import Provisioning

/// A fleet's results for people (a block per target under a header, then one summary table) and
/// for machines (`{"targets":[{"target":, "account":, "region":, "tables":[...]}]}`).
public enum FleetReport {
    /// `=== target dev: account 111111111111, region eu-west-1 ===`.
    public static func header(_ target: Target, _ identity: TargetIdentity?, region: String? = nil) -> String
    {
        "=== target \(target.name): \(account(target, identity)), region "
            + "\(Self.region(target, identity, region)) ==="
    }

    /// The header of a target's run: its region is known even when its credentials failed.
    public static func header(_ run: TargetRun<some Sendable>) -> String {
        header(run.target, run.identity, region: run.region)
    }

    /// Each target's plan under its header, then a table: target, account, region, plan.
    public static func planText(_ runs: [TargetRun<TargetPlan>]) -> String {
        var text = runs.map { planBlock($0) + "\n" }.joined()
        var rows = [["TARGET", "ACCOUNT", "REGION", "PLAN"]]
        for run in runs {
            let result = run.value.map { PlanReport.summary($0.plans) } ?? failureLine(run.failure)
            rows.append([
                run.target.name, accountCell(run.target, run.identity),
                region(run.target, run.identity, run.region),
                result,
            ])
        }
        text += table(rows)
        return text
    }

    /// One target's plan (or why it has none) under its header.
    public static func planBlock(_ run: TargetRun<TargetPlan>) -> String {
        header(run) + "\n"
            + (run.value.map { PlanReport.text($0.plans) } ?? failureBlock(run.failure))
    }

    public static func planJSON(_ runs: [TargetRun<TargetPlan>]) -> JSONValue {
        ["targets": .array(runs.map { run in json(run, tables: run.value?.plans.map(PlanReport.json)) })]
    }

    /// Each target's results under its header, then a table: target, table, result; then a summary.
    public static func applyText(_ runs: [TargetRun<[ApplyResult]>]) -> String {
        var text = runs.map { run in
            header(run) + "\n"
                + (run.value.map(ApplyReport.text) ?? failureBlock(run.failure)) + "\n"
        }.joined()
        var rows = [["TARGET", "TABLE", "RESULT"]]
        var counts = (changed: 0, upToDate: 0, failed: 0, pending: 0, interrupted: 0)
        for run in runs {
            guard let results = run.value else {
                rows.append([run.target.name, "-", failureLine(run.failure)])
                if run.failure?.kind == .interrupted { counts.interrupted += 1 } else { counts.failed += 1 }
                continue
            }
            for result in results {
                rows.append([run.target.name, result.table, ApplyReport.oneLine(result)])
                switch result.status {
                case .failed where result.wasInterrupted: counts.interrupted += 1
                case .failed: counts.failed += 1
                case .pending: counts.pending += 1
                case .exists: counts.upToDate += 1
                case .created, .updated: counts.changed += 1
                }
            }
        }
        text += table(rows)
        var summary =
            "Apply: \(runs.count) target\(runs.count == 1 ? "" : "s"); \(counts.changed) changed, "
            + "\(counts.upToDate) up to date, \(counts.failed) failed"
        if counts.pending > 0 { summary += ", \(counts.pending) pending (apply again after the time shown)" }
        if counts.interrupted > 0 { summary += ", \(counts.interrupted) interrupted (apply again to finish)" }
        return text + summary + ".\n"
    }

    public static func applyJSON(_ runs: [TargetRun<[ApplyResult]>]) -> JSONValue {
        ["targets": .array(runs.map { run in json(run, tables: run.value?.map(ApplyReport.json)) })]
    }

    /// Each target's tables under its header.
    public static func statusText(
        _ runs: [TargetRun<[Result<LiveTable?, ProvisioningError>]>], names: [String]
    )
        -> String
    {
        runs.map { run in
            var block = header(run) + "\n"
            guard let results = run.value else { return block + failureBlock(run.failure) + "\n" }
            for (name, result) in zip(names, results) {
                switch result {
                case .success(let live): block += StatusReport.text(name: name, live) + "\n"
                case .failure(let error): block += "! \(error)\n"
                }
            }
            return block
        }.joined()
    }

    public static func statusJSON(
        _ runs: [TargetRun<[Result<LiveTable?, ProvisioningError>]>], names: [String]
    )
        -> JSONValue
    {
        [
            "targets": .array(
                runs.map { run in
                    json(
                        run,
                        tables: run.value.map { results in
                            zip(names, results).map { name, result -> JSONValue in
                                switch result {
                                case .success(let live): StatusReport.json(name: name, live)
                                case .failure(let error):
                                    ["table": .string(name), "error": .string(error.description)]
                                }
                            }
                        })
                })
        ]
    }

    // MARK: Shared

    /// `{"target":, "account":, "region":, "tables":[...]}`, with `"error"` (and no tables) for a
    /// target that failed as a whole.
    private static func json(_ run: TargetRun<some Sendable>, tables: [JSONValue]?) -> JSONValue {
        var object: JSONObject = [
            "target": .string(run.target.name),
            "account": run.identity?.account.map(JSONValue.string) ?? run.target.account.map(JSONValue.string)
                ?? .null,
            "region": .string(region(run.target, run.identity, run.region)),
            "tables": .array(tables ?? []),
        ]
        if let failure = run.failure {
            object["error"] = .string(failure.message)
            if failure.kind == .interrupted { object["interrupted"] = .bool(true) }
        }
        return .object(object)
    }

    private static func account(_ target: Target, _ identity: TargetIdentity?) -> String {
        if let account = identity?.account { return "account \(account)" }
        if let problem = identity?.stsProblem { return "account unknown (\(problem))" }
        if identity != nil { return "account not checked (no STS endpoint)" }
        return target.account.map { "account \($0) (expected)" } ?? "account unknown"
    }

    private static func accountCell(_ target: Target, _ identity: TargetIdentity?) -> String {
        identity?.account ?? target.account.map { "\($0)?" } ?? "?"
    }

    /// Where the target's requests go: what STS was asked from, else its configuration's region, else
    /// what the target file says; "not set" when none is known (its configuration could not be read).
    private static func region(_ target: Target, _ identity: TargetIdentity?, _ configured: String?) -> String
    {
        identity?.region ?? configured ?? target.region ?? "not set"
    }

    private static func failureLine(_ failure: TargetFailure?) -> String {
        guard let failure else { return "" }
        let first = failure.message.split(separator: "\n").first.map(String.init) ?? failure.message
        switch failure.kind {
        case .interrupted: return "INTERRUPTED: \(first)"
        case .refused: return "NOT APPLIED: \(first)"
        case .aws, .script: return "FAILED: \(first)"
        }
    }

    private static func failureBlock(_ failure: TargetFailure?) -> String {
        guard let failure else { return "" }
        var block =
            "! " + failureLine(failure).split(separator: ":", maxSplits: 1)[0] + ": " + failure.message + "\n"
        if let traceback = failure.traceback, !traceback.isEmpty { block += traceback + "\n" }
        return block
    }

    /// Rows as aligned columns, the last one left ragged.
    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() where index < columns - 1 {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index < columns - 1
                    ? cell + String(repeating: " ", count: widths[index] - cell.count + 2) : cell
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}

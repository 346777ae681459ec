import JSON

/// Plans for people (Terraform's signs and a summary line) and for machines (JSON).
public enum PlanReport {
    /// One block per table, then `Plan: 1 to create, 2 to change, 3 up to date.` `script` is the
    /// script and its arguments as the user typed them, so that a blocked table's hint is a command to
    /// run (`sentinel-tables migrate infra.lua prod --table t --to t-v2`); without it the hint says SCRIPT.
    public static func text(_ plans: [Result<TablePlan, ProvisioningError>], script: [String]? = nil)
        -> String
    {
        var blocks: [String] = []
        for result in plans {
            switch result {
            case .failure(let error):
                blocks.append("! \(error)")
            case .success(let plan):
                if !plan.blocked.isEmpty {
                    var block =
                        "\(plan.table): blocked, the table will not be touched\n"
                        + plan.blocked.map { "  ! \($0)\n" }.joined()
                    if plan.blocked.contains(where: { $0.reason == nil }) {
                        // The keys or local indexes: a new table is the way, and migrate is the tool for it.
                        let source = script.map { $0.map(shellWord).joined(separator: " ") } ?? "SCRIPT"
                        block +=
                            "  to move the items to a new table with the schema's keys (any new name will do): "
                            + "sentinel-tables migrate \(source) --table \(shellWord(plan.table)) --to "
                            + "\(shellWord(plan.table + "-v2"))\n"
                    }
                    if !plan.steps.isEmpty {
                        block += "  other differences, not applied while the table is blocked:\n"
                        block += plan.steps.map(lines).joined()
                    }
                    blocks.append(block)
                } else if plan.steps.isEmpty {
                    blocks.append("\(plan.table): up to date\n")
                } else {
                    let heading = plan.exists ? "will be changed" : "will be created"
                    blocks.append("\(plan.table): \(heading)\n" + plan.steps.map(lines).joined())
                }
            }
        }
        return blocks.joined(separator: "\n") + "\nPlan: " + summary(plans) + ".\n"
    }

    /// `word` as a shell reads it back: as it is when it holds only safe characters, else single-quoted.
    static func shellWord(_ word: String) -> String {
        let safe = word.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
                || "-_./=:,+@%".utf8.contains(byte)
        }
        if safe, !word.isEmpty { return word }
        var quoted = "'"
        for character in word { quoted += character == "'" ? #"'\''"# : String(character) }
        return quoted + "'"
    }

    /// `1 to create, 2 to change, 3 up to date` (with `, N blocked` and `, N failed` when there are).
    public static func summary(_ plans: [Result<TablePlan, ProvisioningError>]) -> String {
        var counts = (create: 0, change: 0, upToDate: 0, blocked: 0, failed: 0)
        for result in plans {
            switch result {
            case .failure: counts.failed += 1
            case .success(let plan) where !plan.blocked.isEmpty: counts.blocked += 1
            case .success(let plan) where plan.steps.isEmpty: counts.upToDate += 1
            case .success(let plan) where plan.exists: counts.change += 1
            case .success: counts.create += 1
            }
        }
        var summary = "\(counts.create) to create, \(counts.change) to change, \(counts.upToDate) up to date"
        if counts.blocked > 0 { summary += ", \(counts.blocked) blocked" }
        if counts.failed > 0 { summary += ", \(counts.failed) failed" }
        return summary
    }

    /// `{"tables":[{"table":..., "exists":..., "actions":[...], "blocked":[...]}]}`; a table whose plan
    /// failed has `"error"` instead of actions.
    public static func json(_ plans: [Result<TablePlan, ProvisioningError>]) -> JSONValue {
        ["tables": .array(plans.map(json))]
    }

    public static func json(_ result: Result<TablePlan, ProvisioningError>) -> JSONValue {
        switch result {
        case .failure(let error):
            return ["table": .string(error.table), "error": .string(error.description)]
        case .success(let plan):
            return [
                "table": .string(plan.table), "exists": .bool(plan.exists),
                "actions": .array(plan.steps.map(json)),
                "blocked": .array(
                    plan.blocked.map { change -> JSONValue in
                        var entry: JSONObject = [
                            "field": .string(change.field), "live": .string(change.live),
                            "wanted": .string(change.wanted),
                        ]
                        entry["reason"] = change.reason.map(JSONValue.string)
                        return .object(entry)
                    }
                ),
            ]
        }
    }

    /// `{"action":, "symbol":, "summary":}`, with `"details"` (a new table's settings) and `"warning"`
    /// when the step has them.
    public static func json(_ step: PlanStep) -> JSONValue {
        var object: JSONObject = [
            "action": .string(step.kind), "symbol": .string(step.symbol), "summary": .string(step.summary),
        ]
        if !step.details.isEmpty { object["details"] = .array(step.details.map(JSONValue.string)) }
        if let warning = step.warning { object["warning"] = .string(warning) }
        return .object(object)
    }

    /// Whether any plan has steps (for `--detailed-exitcode`).
    public static func hasChanges(_ plans: [Result<TablePlan, ProvisioningError>]) -> Bool {
        plans.contains { (try? $0.get().steps.isEmpty) == false }
    }

    /// `  +   create table`, its details indented under the summary, and a warning marked `!`.
    private static func lines(_ step: PlanStep) -> String {
        let sign = step.symbol.count == 1 ? step.symbol + "  " : step.symbol
        var text = "  \(sign) \(step.summary)\n"
        for detail in step.details { text += "        \(detail)\n" }
        if let warning = step.warning { text += "  !   warning: \(warning)\n" }
        return text
    }
}

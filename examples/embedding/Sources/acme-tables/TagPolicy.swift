import Lua
import Schema

/// Acme's rule: every table carries its owner and the owner's cost centre.
enum TagPolicy {
    static let costCenters = ["platform": "cc-1001", "payments": "cc-2002"]

    /// `acme.tags_for(owner)`: the tags an owner's tables must carry. An unknown owner is an argument
    /// error, which Lua reports at the script's line.
    static func tagsFor(_ call: LuaCall) throws -> LuaResults {
        let owner = try call.string(1)
        guard let costCenter = costCenters[owner] else {
            let known = costCenters.keys.sorted().joined(separator: ", ")
            throw call.argumentError(1, "unknown owner '\(owner)' (known: \(known))")
        }
        return try call.returning(
            .map([.text("owner"): .text(owner), .text("cost-center"): .text(costCenter)]))
    }

    /// The tables that break the rule, for the host to refuse them even if the script forgot a table.
    static func violations(in schemas: [TableSchema]) -> [String] {
        schemas.filter { schema in
            guard let owner = schema.tags["owner"] else { return true }
            return schema.tags["cost-center"] != costCenters[owner]
        }.map(\.name)
    }
}

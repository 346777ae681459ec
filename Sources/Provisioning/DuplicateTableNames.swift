import Schema

/// Two schemas of one apply or plan that name the same table: each would converge the table to itself
/// and undo the other's changes until the rounds ran out, so both are refused before any request.
public enum DuplicateTableNames {
    /// A problem for each schema whose table another schema names too, by position (0-based), naming
    /// every position (1-based, as a script's list reads) that names it.
    public static func problems(_ schemas: [TableSchema]) -> [Int: String] {
        var positions: [String: [Int]] = [:]
        for (offset, schema) in schemas.enumerated() { positions[schema.name, default: []].append(offset) }
        var problems: [Int: String] = [:]
        for (name, offsets) in positions where offsets.count > 1 {
            let listed = offsets.map { "#\($0 + 1)" }
            let names = listed.dropLast().joined(separator: ", ") + " and " + (listed.last ?? "")
            let quantifier = offsets.count == 2 ? "both" : "all"
            for offset in offsets {
                problems[offset] =
                    "name: schemas \(names) \(quantifier) name table '\(name)'; a table can be converged to one "
                    + "schema only"
            }
        }
        return problems
    }
}

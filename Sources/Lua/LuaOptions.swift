/// Checks of options tables: the last argument of most API functions, whose unknown keys are errors
/// rather than silently ignored (a typo such as `nmae` must not be dropped).
public enum LuaOptions {
    /// An unknown key, named with the function or field it was given to.
    public struct UnknownOptionError: Error, CustomStringConvertible, Sendable {
        public let option: String
        public let context: String
        public let suggestion: String?

        public var description: String {
            var text = "unknown option '\(option)' in \(context)"
            if let suggestion { text += " (did you mean '\(suggestion)'?)" }
            return text
        }
    }

    /// A value that should have been an options table.
    public struct NotATableError: Error, CustomStringConvertible, Sendable {
        public let context: String
        public let problem: String

        public var description: String { "\(context): \(problem)" }
    }

    /// The entries of `table` by name, after checking that every key is a string in `allowed`.
    public static func check(_ table: LuaValue, allowed: [String], in context: String) throws
        -> [String: LuaValue]
    {
        guard let entries = table.mapValue else {
            throw NotATableError(context: context, problem: "table expected, got \(table.typeName)")
        }
        var options: [String: LuaValue] = [:]
        for (key, value) in entries {
            guard let name = key.stringValue else {
                throw NotATableError(
                    context: context,
                    problem: "option names must be strings, got \(key.typeName) key \(describeKey(key))")
            }
            guard allowed.contains(name) else {
                throw UnknownOptionError(
                    option: name, context: context, suggestion: closestName(to: name, among: allowed))
            }
            options[name] = value
        }
        return options
    }

    private static func describeKey(_ key: LuaValue) -> String {
        switch key {
        case .integer(let value): String(value)
        case .number(let value): String(value)
        default: key.typeName
        }
    }

    /// The allowed name within two edits of `name`, if there is one: enough for typos and swaps.
    public static func closestName(to name: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(name, $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2, best.1 < name.count else {
            return nil
        }
        return best.0
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and transpositions.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}

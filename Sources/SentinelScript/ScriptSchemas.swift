import Lua
import Schema

/// The schemas a declarative script returned: `return s` or `return { s, t }`.
public enum ScriptSchemas {
    /// A script's return values that are not schemas, or schemas that cannot be read.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public let message: String
        /// With schemas that cannot be read: every problem of every returned schema, one
        /// `table 'NAME': path: message` each (as `sentinel-tables schema` prints validation problems);
        /// empty when the script returned something else.
        public let problems: [String]
        public var description: String { message }

        init(message: String) {
            self.message = message
            problems = []
        }

        init(problems: [String]) {
            message = problems.joined(separator: "\n")
            self.problems = problems
        }
    }

    /// Reads the schemas from what a script returned. Shape problems (unknown fields, wrong types) are
    /// errors here, reported together with every semantic problem of every returned schema, so one run
    /// shows everything a fixed script would otherwise show next; without shape problems, semantic
    /// problems are left to `TableSchema/validate()`.
    public static func read(_ returned: [LuaValue]) throws(ReadError) -> [TableSchema] {
        guard let first = returned.first, first != .nil else {
            throw ReadError(
                message: "the script returned nothing: end it with `return schema` or `return { s1, s2 }`")
        }
        let candidates: [LuaValue]
        if isSchema(first) {
            candidates = [first]
        } else if let elements = first.arrayValue, !elements.isEmpty {
            candidates = elements
        } else {
            throw ReadError(
                message: "the script must return a schema or a list of schemas, got \(describe(first))")
        }
        var schemas: [TableSchema] = []
        var problems: [String] = []
        var unreadable = false
        for (offset, candidate) in candidates.enumerated() {
            var reader = LuaSchemaReader()
            let schema = reader.readTable(candidate)
            unreadable = unreadable || !reader.problems.isEmpty
            let label =
                schema.name.isEmpty
                ? (candidates.count == 1 ? "returned schema" : "returned schema #\(offset + 1)")
                : "table '\(schema.name)'"
            problems += SchemaCheck.problems(of: schema, shapeProblems: reader.problems).map {
                "\(label): \($0)"
            }
            schemas.append(schema)
        }
        if unreadable { throw ReadError(problems: problems) }
        return schemas
    }

    /// A table that reads as one schema rather than a list: it has schema fields.
    private static func isSchema(_ value: LuaValue) -> Bool {
        guard let entries = value.mapValue, value.arrayValue == nil || entries.isEmpty == false else {
            return false
        }
        return entries.keys.contains { key in
            key.stringValue.map(LuaSchemaReader.tableFields.contains) ?? false
        }
    }

    private static func describe(_ value: LuaValue) -> String {
        if case .map(let entries) = value, entries.isEmpty { return "an empty table" }
        return "a \(value.typeName)"
    }
}

import JSON
import Schema

/// The Lua script that reproduces live tables (`schema --from-table`): written on the built-in Sentinel
/// schema a table matches (``BuiltInSchemaMatch``) as that schema followed by plain edits, so the
/// differences from Sentinel's defaults are read at a glance; otherwise a `sentinel.table { ... }` with
/// every setting. Either way the script returns exactly the schema it was made from.
public enum LuaAdoptionScript {
    /// One table to write: its schema, and the KMS key ARN DynamoDB reports when that may be a
    /// customer key the schema cannot tell apart from the AWS-managed one (it becomes a comment).
    public struct Table: Sendable {
        public var schema: TableSchema
        public var kmsKeyARN: String?

        public init(schema: TableSchema, kmsKeyARN: String? = nil) {
            self.schema = schema
            self.kmsKeyARN = kmsKeyARN
        }
    }

    /// A script returning the schema of one table, or a list of several.
    /// The schema document as the script writes it: a resource policy holding an empty JSON list is
    /// written as its JSON text, since a Lua table literal cannot say `[]` (an empty table reads back as
    /// `{}`, another policy).
    static func luaDocument(_ schema: TableSchema) -> JSONValue {
        let document = schema.schemaDocument()
        let field = OperatedSetting.resourcePolicy.field
        guard var object = document.objectValue, let policy = object[field], case .object = policy,
            Self.holdsEmptyList(policy)
        else { return document }
        object[field] = .string(JSONWriter(style: .compact).string(from: policy))
        return .object(object)
    }

    private static func holdsEmptyList(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let elements): elements.isEmpty || elements.contains(where: holdsEmptyList)
        case .object(let object): object.contains { holdsEmptyList($0.value) }
        default: false
        }
    }

    public static func script(for tables: [Table]) -> String {
        if tables.count == 1 {
            let block = lines(for: tables[0], indent: 0)
            return (block.body + [block.isBuiltIn ? "return s" : "return " + block.value]).joined(
                separator: "\n")
                + "\n"
        }
        var output = ["local schemas = {}"]
        for table in tables {
            // A built-in's statements sit in a `do` block, one level in; a `sentinel.table` does not.
            let isBuiltIn = BuiltInSchemaMatch.closest(to: table.schema) != nil
            let block = lines(for: table, indent: isBuiltIn ? 1 : 0)
            output.append("")
            if block.isBuiltIn {
                output.append("do")
                output += (block.body + ["schemas[#schemas + 1] = s"]).map { "  " + $0 }
                output.append("end")
            } else {
                output += block.body
                output.append("schemas[#schemas + 1] = " + block.value)
            }
        }
        output += ["", "return schemas"]
        return output.joined(separator: "\n") + "\n"
    }

    /// The comment and statements for one table. For a built-in the statements build `s`; otherwise
    /// `value` is the `sentinel.table` expression.
    private static func lines(for table: Table, indent: Int) -> (
        body: [String], value: String, isBuiltIn: Bool
    ) {
        let schema = table.schema
        var body: [String] = []
        if let arn = table.kmsKeyARN {
            body.append(
                "-- DynamoDB reports KMS key \(arn); if it is a customer managed key, write "
                    + "encryption = { type = \"CUSTOMER_KEY\", kms_key = \"\(arn)\" }")
        }
        guard let match = BuiltInSchemaMatch.closest(to: schema) else {
            body.insert("-- \(schema.name): not one of Sentinel's schemas; every setting as it is", at: 0)
            let value = "sentinel.table " + LuaSchemaSource.render(Self.luaDocument(schema), indent: indent)
            return (body, value, false)
        }
        let edits = BuiltInEdits(base: match.kind.schema(name: schema.name), wanted: schema)
        let kind = match.kind.rawValue
        body.insert(
            edits.differences.isEmpty
                ? "-- \(schema.name): Sentinel's \(kind) schema, unchanged"
                : "-- \(schema.name): Sentinel's \(kind) schema; differs in "
                    + edits.differences.joined(separator: ", "),
            at: 0)
        body.append(
            "local s = sentinel.schema.\(kind) { name = \(LuaSchemaSource.quoted(schema.name)) }")
        body += edits.statements(indent: indent)
        return (body, "s", true)
    }
}

/// The edits that turn a built-in schema into the wanted one, compared field by field in the Lua
/// API's order. GSIs are edited by what changes: capacity in place, indexes of another shape removed
/// and added again, missing ones removed, new ones added.
private struct BuiltInEdits {
    let base: TableSchema
    let wanted: TableSchema

    private var baseDocument: JSONValue { LuaAdoptionScript.luaDocument(base) }
    private var wantedDocument: JSONValue { LuaAdoptionScript.luaDocument(wanted) }
    private static let indexedFields: Set<String> = ["name", "gsis", "tags"]

    /// The fields that differ, and for indexes what happens to which.
    var differences: [String] {
        var names: [String] = []
        for (field, _) in fieldChanges() { names.append(field) }
        let gsis = indexChanges
        var described: [String] = []
        described += gsis.settings.map { "\($0.name) " + $0.fields.map(\.0).joined(separator: ", ") }
        described += gsis.removed.map { "\($0) removed" }
        described += gsis.added.map { "\($0.name) added" }
        // The keys match (that is what made the match), so the indexes come first in the API's order.
        if !described.isEmpty { names.insert("gsis (\(described.joined(separator: "; ")))", at: 0) }
        if base.tags != wanted.tags { names.append("tags") }
        return names
    }

    func statements(indent: Int) -> [String] {
        var lines: [String] = []
        for (field, value) in fieldChanges() {
            lines.append(
                "s.\(field) = " + (value.map { LuaSchemaSource.render($0, indent: indent) } ?? "nil"))
        }
        let gsis = indexChanges
        for change in gsis.settings {
            for (field, value) in change.fields {
                let rendered = value.map { LuaSchemaSource.render($0, indent: indent) } ?? "nil"
                lines.append("s.gsis[\(change.position)].\(field) = \(rendered)")
            }
        }
        for name in gsis.removed { lines.append("s:remove_gsi \(LuaSchemaSource.quoted(name))") }
        let document = wantedDocument["gsis"]?.arrayValue ?? []
        for index in gsis.added {
            guard let rendered = document.first(where: { $0["name"]?.stringValue == index.name }) else {
                continue
            }
            lines.append("s:add_gsi " + LuaSchemaSource.render(rendered, indent: indent))
        }
        let keys = Set(base.tags.keys).union(wanted.tags.keys).sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
        for key in keys where base.tags[key] != wanted.tags[key] {
            let target = LuaSchemaSource.key(key)
            let path = target.hasPrefix("[") ? "s.tags\(target)" : "s.tags.\(target)"
            lines.append("\(path) = " + (wanted.tags[key].map(LuaSchemaSource.quoted) ?? "nil"))
        }
        return lines
    }

    /// Top-level fields other than the name, indexes and tags whose value differs: nil to remove.
    private func fieldChanges() -> [(String, JSONValue?)] {
        let wantedObject = wantedDocument.objectValue ?? [:]
        let baseObject = baseDocument.objectValue ?? [:]
        return LuaSchemaReader.tableFields.compactMap { field in
            guard !Self.indexedFields.contains(field), baseObject[field] != wantedObject[field] else {
                return nil
            }
            return (field, wantedObject[field])
        }
    }

    /// The fields of a GSI that are settings rather than its shape (keys and projection).
    private static let indexSettings = LuaSchemaReader.globalIndexFields.filter {
        !["name", "partition_key", "sort_key", "projection", "non_key_attributes"].contains($0)
    }

    private var indexChanges:
        (
            settings: [(name: String, position: Int, fields: [(String, JSONValue?)])], removed: [String],
            added: [GlobalSecondaryIndex]
        )
    {
        var settings: [(name: String, position: Int, fields: [(String, JSONValue?)])] = []
        var removed: [String] = []
        var kept: Set<String> = []
        let baseDocuments = baseDocument["gsis"]?.arrayValue ?? []
        let wantedDocuments = wantedDocument["gsis"]?.arrayValue ?? []
        for (offset, index) in base.globalSecondaryIndexes.enumerated() {
            guard let position = wanted.globalSecondaryIndexes.firstIndex(where: { $0.name == index.name }),
                BuiltInSchemaMatch.sameShape(index, wanted.globalSecondaryIndexes[position])
            else {
                removed.append(index.name)
                continue
            }
            kept.insert(index.name)
            let fields = Self.indexSettings.compactMap { field -> (String, JSONValue?)? in
                let from = baseDocuments[offset][field]
                let to = wantedDocuments[position][field]
                return from == to ? nil : (field, to)
            }
            if !fields.isEmpty { settings.append((index.name, offset + 1, fields)) }
        }
        let added = wanted.globalSecondaryIndexes.filter { !kept.contains($0.name) }
        return (settings, removed, added)
    }
}

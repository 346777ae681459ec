import DynamoDB
import Lua

/// The update options of `db.update` beyond its `changes`: `set`, `add`, `delete_from`, `append`,
/// `prepend`, `if_not_exists` and `remove`, each on top-level names or nested paths, as an
/// UpdateExpression whose every name and value goes through a placeholder.
///
/// Each option but `remove` is a table of names to values (`add = { visits = 1 }`) or a list of
/// `{ path, value }` pairs whose path is a list of names and list positions counted from 1
/// (`add = { { { "profile", "limits", "max" }, 1 } }`); `remove` is a list of names or paths.
struct UpdateActions {
    enum Action: CaseIterable {
        case set, add, deleteFrom, append, prepend, ifNotExists

        var option: String {
            switch self {
            case .set: "set"
            case .add: "add"
            case .deleteFrom: "delete_from"
            case .append: "append"
            case .prepend: "prepend"
            case .ifNotExists: "if_not_exists"
            }
        }
    }

    /// One step of a document path: an attribute or map member name, or a list position (from 0).
    enum PathElement: Equatable {
        case name(String)
        case index(Int)
    }

    static let options = Action.allCases.map(\.option) + ["remove"]

    private(set) var entries: [(action: Action, path: [PathElement], value: AttributeValue)] = []
    private(set) var removed: [[PathElement]] = []

    var isEmpty: Bool { entries.isEmpty && removed.isEmpty }

    /// Reads the options (unknown keys were rejected already).
    static func read(_ options: [String: LuaValue], reader: LuaAttributeReader) throws -> UpdateActions {
        var actions = UpdateActions()
        for action in Action.allCases {
            guard let value = options[action.option], value != .nil else { continue }
            for (path, element, where_) in try pairs(value, option: action.option) {
                let converted = try reader.attribute(element, path: where_)
                try check(converted, for: action, at: where_)
                actions.entries.append((action, path, converted))
            }
        }
        if let value = options["remove"], value != .nil {
            guard let list = value.arrayValue else {
                throw ScriptError("option 'remove' must be a list of attribute names or paths")
            }
            actions.removed = try list.enumerated().map { offset, element in
                try Self.path(element, at: "remove[\(offset + 1)]")
            }
        }
        return actions
    }

    /// The clauses of the UpdateExpression: `changes` (top-level SETs) first, then these.
    func expression(changes: Item, builder: inout ExpressionBuilder) -> String {
        var sets = changes.sorted { $0.key < $1.key }.map {
            "\(builder.name($0.key.text)) = \(builder.value($0.value))"
        }
        var adds: [String] = []
        var deletes: [String] = []
        for entry in entries {
            let path = Self.text(entry.path, &builder)
            switch entry.action {
            case .set: sets.append("\(path) = \(builder.value(entry.value))")
            case .add: adds.append("\(path) \(builder.value(entry.value))")
            case .deleteFrom: deletes.append("\(path) \(builder.value(entry.value))")
            case .append:
                let empty = builder.value(.list([]))
                sets.append(
                    "\(path) = list_append(if_not_exists(\(path), \(empty)), \(builder.value(entry.value)))")
            case .prepend:
                let value = builder.value(entry.value)
                sets.append(
                    "\(path) = list_append(\(value), if_not_exists(\(path), \(builder.value(.list([])))))")
            case .ifNotExists:
                sets.append("\(path) = if_not_exists(\(path), \(builder.value(entry.value)))")
            }
        }
        var clauses: [String] = []
        if !sets.isEmpty { clauses.append("SET " + sets.joined(separator: ", ")) }
        if !removed.isEmpty {
            clauses.append("REMOVE " + removed.map { Self.text($0, &builder) }.joined(separator: ", "))
        }
        if !adds.isEmpty { clauses.append("ADD " + adds.joined(separator: ", ")) }
        if !deletes.isEmpty { clauses.append("DELETE " + deletes.joined(separator: ", ")) }
        return clauses.joined(separator: " ")
    }

    // MARK: Reading

    /// `{ name = value }` entries in name order, or `{ { path, value }, ... }` in the order given.
    private static func pairs(_ value: LuaValue, option: String) throws
        -> [(path: [PathElement], value: LuaValue, where: String)]
    {
        switch value {
        case .map(let entries):
            // Names, and `{ path, value }` pairs at positions 1..n of the same table.
            var named: [(path: [PathElement], value: LuaValue, where: String)] = []
            var positional: [(Int64, LuaValue)] = []
            for (key, element) in entries {
                if let name = key.stringValue {
                    named.append(([.name(name)], element, LuaAttributeReader.member(option, name)))
                } else if let position = key.integerValue {
                    positional.append((position, element))
                } else {
                    throw ScriptError(
                        "option '\(option)': attribute names must be strings, found a \(key.typeName) key")
                }
            }
            positional.sort { $0.0 < $1.0 }
            return try named.sorted { $0.where < $1.where }
                + positional.map { try pair($1, at: "\(option)[\($0)]") }
        case .array(let list):
            return try list.enumerated().map { offset, element in
                try pair(element, at: "\(option)[\(offset + 1)]")
            }
        default:
            throw ScriptError(
                "option '\(option)' must be a table of attribute names to values or a list of { path, value }"
            )
        }
    }

    /// `{ path, value }`.
    private static func pair(_ value: LuaValue, at position: String) throws
        -> (path: [PathElement], value: LuaValue, where: String)
    {
        guard let both = value.arrayValue, both.count == 2 else {
            throw ScriptError("\(position): { path, value } expected")
        }
        return (try path(both[0], at: "\(position)[1]"), both[1], "\(position)[2]")
    }

    /// A name, or a list of names and positions (from 1) of at least one element.
    private static func path(_ value: LuaValue, at position: String) throws -> [PathElement] {
        if let name = value.stringValue { return [.name(name)] }
        guard let steps = value.arrayValue, let first = steps.first, first.stringValue != nil else {
            throw ScriptError(
                "\(position): an attribute name or a path { name, ... } (names and list positions) expected")
        }
        return try steps.enumerated().map { offset, step in
            if let name = step.stringValue { return .name(name) }
            if let index = try? step.wholeNumber(in: 1...Int(Int32.max), field: "\(position)[\(offset + 1)]")
            {
                return .index(index - 1)
            }
            throw ScriptError("\(position)[\(offset + 1)]: a name or a list position (1 or more) expected")
        }
    }

    private static func check(_ value: AttributeValue, for action: Action, at position: String) throws {
        switch (action, value) {
        case (.add, .number), (.add, .stringSet), (.add, .numberSet), (.add, .binarySet): return
        case (.add, _): throw ScriptError("\(position): add takes a number or a sentinel.set")
        case (.deleteFrom, .stringSet), (.deleteFrom, .numberSet), (.deleteFrom, .binarySet): return
        case (.deleteFrom, _): throw ScriptError("\(position): delete_from takes a sentinel.set")
        case (.append, .list), (.prepend, .list): return
        case (.append, _), (.prepend, _):
            throw ScriptError(
                "\(position): \(action.option) takes a list (sentinel.list {} for an empty one)")
        default: return
        }
    }

    /// `#n0.#n1[2]`.
    private static func text(_ path: [PathElement], _ builder: inout ExpressionBuilder) -> String {
        var text = ""
        for step in path {
            switch step {
            case .name(let name): text += (text.isEmpty ? "" : ".") + builder.name(name)
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

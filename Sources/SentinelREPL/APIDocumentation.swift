/// The functions of the `sentinel` API as the LuaLS annotations describe them: what `help` shows.
public struct APIDocumentation: Sendable {
    /// One documented function.
    public struct Function: Sendable, Equatable {
        /// One `---@param` or `---@return` line.
        public struct Value: Sendable, Equatable {
            public var name: String
            public var type: String
            public var description: String
        }

        /// The name as the annotations write it: `sentinel.apply`, `Schema:add_gsi`.
        public var name: String
        /// The parameter names as the `function` line writes them.
        public var parameterNames: [String]
        public var parameters: [Value]
        public var returns: [Value]
        /// The `---` lines before the function, joined.
        public var description: String

        /// `sentinel.apply(schemas, options?) -> sentinel.ApplyResult[]`
        public var signature: String {
            let names = parameterNames.map { name in
                parameters.first { $0.name == name + "?" } != nil ? name + "?" : name
            }
            var text = "\(name)(\(names.joined(separator: ", ")))"
            if !returns.isEmpty {
                text += " -> " + returns.map(\.type).joined(separator: ", ")
            }
            return text
        }
    }

    public private(set) var functions: [Function] = []
    /// The fields of each `---@class`, by class name (`sentinel.QueryOptions`): what an options
    /// parameter of that type accepts.
    public private(set) var classFields: [String: [Function.Value]] = [:]

    /// Reads the functions out of annotation text (`---` doc lines, `---@param`, `---@return`, then
    /// `function name(parameters) end`).
    public init(annotations: String) {
        var description: [String] = []
        var parameters: [Function.Value] = []
        var returns: [Function.Value] = []
        var currentClass: String?
        for rawLine in annotations.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingSpaces()
            if line.hasPrefix("---@class ") {
                let name = line.dropFirst("---@class ".count).prefix { $0 != " " && $0 != ":" }
                currentClass = String(name)
                classFields[String(name), default: []] = []
            } else if line.hasPrefix("---@field "), let currentClass {
                classFields[currentClass, default: []].append(
                    Self.value(line.dropFirst("---@field ".count), nameFirst: true))
                continue
            } else {
                currentClass = nil
            }
            if line.hasPrefix("---@param ") {
                parameters.append(Self.value(line.dropFirst("---@param ".count), nameFirst: true))
            } else if line.hasPrefix("---@return ") {
                returns.append(Self.value(line.dropFirst("---@return ".count), nameFirst: false))
            } else if line.hasPrefix("---@") {
                // A class, field or alias: what came before describes that, not a function.
                description = []
                parameters = []
                returns = []
            } else if line.hasPrefix("---") {
                description.append(String(line.dropFirst(3)).trimmingSpaces())
            } else if line.hasPrefix("function "), let open = line.firstIndex(of: "("),
                let close = line.firstIndex(of: ")")
            {
                let name = line[line.index(line.startIndex, offsetBy: 9)..<open].trimmingSpaces()
                let names = line[line.index(after: open)..<close].split(separator: ",").map {
                    $0.trimmingSpaces()
                }
                functions.append(
                    Function(
                        name: name, parameterNames: names, parameters: parameters, returns: returns,
                        description: description.joined(separator: " ")))
                description = []
                parameters = []
                returns = []
            } else {
                description = []
                parameters = []
                returns = []
            }
        }
    }

    /// The function called `name`, also found as `db.x` for `sentinel.db.x`, `s:m` or `m` for a schema
    /// method, and `x` for `sentinel.x`.
    public func function(named name: String) -> Function? {
        var candidates = [name]
        if name.hasPrefix("db.") { candidates.append("sentinel." + name) }
        if let colon = name.firstIndex(of: ":") {
            candidates.append("Schema" + name[colon...])
        } else if !name.contains(".") {
            candidates.append("sentinel." + name)
            candidates.append("Schema:" + name)
        }
        for candidate in candidates {
            if let found = functions.first(where: { $0.name == candidate }) { return found }
        }
        return nil
    }

    /// The fields of the class a parameter's type names (`sentinel.QueryOptions`, also written
    /// `sentinel.QueryOptions?`), or nil when it names no class with fields.
    public func fields(ofType type: String) -> (name: String, fields: [Function.Value])? {
        let name = type.hasSuffix("?") ? String(type.dropLast()) : type
        guard let fields = classFields[name], !fields.isEmpty else { return nil }
        return (name, fields)
    }

    /// `name type description` (`---@param`, `---@field`) or `type name? description` (`---@return`);
    /// a type may be a `{ ... }` table literal or a `table<K, V>` with spaces in it.
    private static func value(_ text: Substring, nameFirst: Bool) -> Function.Value {
        var rest = text.trimmingSpaces()[...]
        // A word ends at a space outside brackets: `{ a: string }` and `table<string, T>` are one type.
        func word() -> String {
            rest = rest.drop { $0 == " " }
            var depth = 0
            var end = rest.endIndex
            for index in rest.indices {
                switch rest[index] {
                case "{", "<": depth += 1
                case "}", ">": depth -= 1
                case " " where depth <= 0:
                    end = index
                default: break
                }
                if end != rest.endIndex { break }
            }
            defer { rest = rest[end...] }
            return String(rest[..<end])
        }
        if nameFirst {
            let name = word()
            let type = word()
            return Function.Value(name: name, type: type, description: rest.trimmingSpaces())
        }
        let type = word()
        let remainder = rest.trimmingSpaces()
        // A return's name is one identifier; anything longer is its description.
        if let space = remainder.firstIndex(of: " ") {
            let first = remainder[..<space]
            if first.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                return Function.Value(
                    name: String(first), type: type,
                    description: remainder[space...].trimmingSpaces())
            }
            return Function.Value(name: "", type: type, description: remainder)
        }
        let isName = !remainder.isEmpty && remainder.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        return Function.Value(
            name: isName ? remainder : "", type: type, description: isName ? "" : remainder)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}

/// The text `help` prints: the list of the API, or one function's signature and description.
struct HelpText {
    let documentation: APIDocumentation

    /// Every function with the first sentence of its description, cut to fit `width` columns.
    func overview(width: Int = TerminalWidth.fallback) -> String {
        let signatures = documentation.functions.map { function in
            "\(function.name)(\(function.signature.dropFirst(function.name.count + 1).prefix { $0 != ")" }))"
        }
        let column = min(44, signatures.map(\.count).max() ?? 0)
        var text = "The sentinel API (s is a schema, db is sentinel.db):\n"
        for (function, signature) in zip(documentation.functions, signatures) {
            let padding = String(repeating: " ", count: max(1, column - signature.count + 2))
            var line = "  \(signature)\(padding)\(Self.firstSentence(function.description))"
            if line.count > width { line = String(line.prefix(max(width - 3, signature.count + 2))) + "..." }
            text += line + "\n"
        }
        return text + "help \"sentinel.apply\" or help(sentinel.apply) shows one function.\n"
    }

    /// One function: its signature, description, parameters and results; or why there is none.
    func entry(for name: String) -> String {
        guard let function = documentation.function(named: name) else {
            return "no help for '\(name)'; help() lists the API\n"
        }
        var text = function.signature + "\n"
        if !function.description.isEmpty {
            text += "\n" + Self.wrap(function.description, width: 78, indent: "  ") + "\n"
        }
        if !function.parameters.isEmpty {
            text +=
                "\nParameters:\n" + Self.table(function.parameters.map { ($0.name, $0.type, $0.description) })
        }
        // An options table is most of what a caller needs to know: list what it accepts, not only
        // its type's name.
        for parameter in function.parameters {
            guard let options = documentation.fields(ofType: parameter.type) else { continue }
            text +=
                "\n\(parameter.name.hasSuffix("?") ? String(parameter.name.dropLast()) : parameter.name) "
                + "(\(options.name)):\n"
                + Self.table(options.fields.map { ($0.name, $0.type, $0.description) })
        }
        if !function.returns.isEmpty {
            text += "\nReturns:\n" + Self.table(function.returns.map { ($0.type, $0.name, $0.description) })
        }
        return text
    }

    private static func table(_ rows: [(String, String, String)]) -> String {
        let first = rows.map(\.0.count).max() ?? 0
        return rows.map { row in
            var line = "  " + row.0 + String(repeating: " ", count: first - row.0.count)
            for part in [row.1, row.2] where !part.isEmpty { line += "  " + part }
            return line + "\n"
        }.joined()
    }

    static func firstSentence(_ text: String) -> String {
        if let end = text.firstRange(of: ". ") { return String(text[..<end.lowerBound]) + "." }
        return text
    }

    static func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count > indent.count && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}

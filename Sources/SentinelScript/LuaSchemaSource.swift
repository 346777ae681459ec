import JSON
import Schema

/// Schemas as Lua source a user can start a script from: `return sentinel.table { ... }`, the fields
/// in the order of the Lua API, short tables on one line.
public enum LuaSchemaSource {
    /// A declarative script returning `schemas` (one, or a list of several).
    public static func script(returning schemas: [TableSchema]) -> String {
        let constructors = schemas.map {
            "sentinel.table " + render($0.schemaDocument(), indent: schemas.count > 1 ? 1 : 0)
        }
        if constructors.count == 1 { return "return " + constructors[0] + "\n" }
        return "return {\n" + constructors.map { "  " + $0 + ",\n" }.joined() + "}\n"
    }

    private static let lineLimit = 100
    private static let indentUnit = "  "

    static func render(_ value: JSONValue, indent: Int) -> String {
        let inline = renderInline(value)
        let padding = String(repeating: indentUnit, count: indent)
        if padding.count + inline.count <= lineLimit { return inline }
        let inner = padding + indentUnit
        switch value {
        case .object(let object):
            let lines = object.map { "\(inner)\(key($0.key)) = \(render($0.value, indent: indent + 1)),\n" }
            return "{\n" + lines.joined() + padding + "}"
        case .array(let elements):
            let lines = elements.map { "\(inner)\(render($0, indent: indent + 1)),\n" }
            return "{\n" + lines.joined() + padding + "}"
        default:
            return inline
        }
    }

    private static func renderInline(_ value: JSONValue) -> String {
        switch value {
        case .null: return "nil"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return number.text
        case .string(let text): return quoted(text)
        case .array(let elements):
            return elements.isEmpty ? "{}" : "{ " + elements.map(renderInline).joined(separator: ", ") + " }"
        case .object(let object):
            if object.isEmpty { return "{}" }
            return "{ " + object.map { "\(key($0.key)) = \(renderInline($0.value))" }.joined(separator: ", ")
                + " }"
        }
    }

    private static let reservedWords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    static func key(_ name: String) -> String {
        let isIdentifier =
            name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            && !reservedWords.contains(name)
        return isIdentifier ? name : "[\(quoted(name))]"
    }

    /// A Lua string literal: quotes and backslashes escaped, control bytes as three-digit decimal
    /// escapes (so a following digit cannot extend them); other UTF-8 passes through.
    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes += [UInt8(ascii: "\\"), byte]
            case UInt8(ascii: "\n"):
                bytes += Array("\\n".utf8)
            case 0..<32, 127:
                let digits = String(byte)
                bytes += Array(("\\" + String(repeating: "0", count: 3 - digits.count) + digits).utf8)
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }
}

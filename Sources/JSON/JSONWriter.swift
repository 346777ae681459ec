/// Writes ``JSONValue``s as RFC 8259 text, deterministically: the same value always gives the same
/// bytes, since objects keep their member order and numbers their text.
///
/// Strings escape `"` and `\`, write `\b \f \n \r \t` in their short forms and every other control
/// character as `\u00XX`; everything else, non-ASCII included, is written as UTF-8 as it is (JSON text
/// is UTF-8, and escaping it would only make output harder to read).
public struct JSONWriter: Sendable {
    /// The layout of the output.
    public enum Style: Sendable, Equatable {
        /// No whitespace at all: `{"a":[1,2]}`. For requests and machines.
        case compact
        /// Two-space indentation, one member or element per line, `": "` after keys, and empty
        /// containers as `[]` and `{}`; no trailing newline. For people.
        case pretty
    }

    /// The layout used.
    public var style: Style

    public init(style: Style = .compact) {
        self.style = style
    }

    /// The text of `value`.
    public func string(from value: JSONValue) -> String {
        String(decoding: bytes(from: value), as: UTF8.self)
    }

    /// The UTF-8 bytes of `value`'s text.
    public func bytes(from value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, indent: 0, into: &output)
        return output
    }

    private func write(_ value: JSONValue, indent: Int, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): output.append(contentsOf: number.text.utf8)
        case .string(let text): Self.writeString(text, into: &output)
        case .array(let elements):
            writeContainer(open: "[", close: "]", elements, indent: indent, into: &output) {
                element, output in write(element, indent: indent + 1, into: &output)
            }
        case .object(let object):
            writeContainer(open: "{", close: "}", object.members, indent: indent, into: &output) {
                member, output in
                Self.writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                if style == .pretty { output.append(UInt8(ascii: " ")) }
                write(member.value, indent: indent + 1, into: &output)
            }
        }
    }

    private func writeContainer<Element>(
        open: Unicode.Scalar, close: Unicode.Scalar, _ elements: [Element], indent: Int,
        into output: inout [UInt8], writeElement: (Element, inout [UInt8]) -> Void
    ) {
        output.append(UInt8(ascii: open))
        for (index, element) in elements.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            newline(indent: indent + 1, into: &output)
            writeElement(element, &output)
        }
        if !elements.isEmpty { newline(indent: indent, into: &output) }
        output.append(UInt8(ascii: close))
    }

    private func newline(indent: Int, into output: inout [UInt8]) {
        guard style == .pretty else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case 0x08: output.append(contentsOf: #"\b"#.utf8)
            case 0x0C: output.append(contentsOf: #"\f"#.utf8)
            case 0x0A: output.append(contentsOf: #"\n"#.utf8)
            case 0x0D: output.append(contentsOf: #"\r"#.utf8)
            case 0x09: output.append(contentsOf: #"\t"#.utf8)
            case 0x00..<0x20:
                let hexDigits = Array("0123456789abcdef".utf8)
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// This value's JSON text in the given style.
    public func jsonText(_ style: JSONWriter.Style = .compact) -> String {
        JSONWriter(style: style).string(from: self)
    }
}

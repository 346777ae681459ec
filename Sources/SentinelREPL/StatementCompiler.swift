import Lua

/// Compiles what was typed as lua.c does: first as `return <text>` (so an expression prints its
/// values), then as a statement; a syntax error at `<eof>` means the statement goes on.
struct StatementCompiler {
    enum Outcome {
        case chunk(LuaValue)
        /// The statement is not finished: read another line.
        case incomplete
        case failed(LuaError)
    }

    /// The chunk name, so messages read `stdin:1: ...` as in lua.c.
    static let chunkName = "=stdin"

    let state: LuaState

    func compile(_ text: [UInt8]) -> Outcome {
        if let expression = Self.expressionForm(text) { return compileAsStatement(expression) }
        if let chunk = try? state.load(bytes: Array("return ".utf8) + text, chunkName: Self.chunkName) {
            return .chunk(chunk)
        }
        return compileAsStatement(text)
    }

    /// Compiles `text` as a statement only; with `atEnd`, an unfinished statement is an error (the
    /// input ended inside it).
    func compileAsStatement(_ text: [UInt8], atEnd: Bool = false) -> Outcome {
        // `=1 +` ended by the input is reported as `return 1 +` is (`near <eof>`), not near the `=`.
        let text = Self.expressionForm(text) ?? text
        do {
            return .chunk(try state.load(bytes: text, chunkName: Self.chunkName))
        } catch let error as LuaError {
            if error.kind == .syntax && error.message.hasSuffix("<eof>") && !atEnd { return .incomplete }
            return .failed(error)
        } catch {
            return .failed(LuaError(.runtime, String(describing: error)))
        }
    }

    /// Lua 5.1's `=expr`, kept by habit: the same as `return expr`; nil for any other text.
    static func expressionForm(_ text: [UInt8]) -> [UInt8]? {
        guard text.first == UInt8(ascii: "=") else { return nil }
        return Array("return ".utf8) + text.dropFirst()
    }
}

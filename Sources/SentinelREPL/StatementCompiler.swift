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
        if text.first == UInt8(ascii: "=") {
            // Lua 5.1's `=expr`, kept by habit: the same as `return expr`.
            return compileAsStatement(Array("return ".utf8) + text.dropFirst())
        }
        if let chunk = try? state.load(bytes: Array("return ".utf8) + text, chunkName: Self.chunkName) {
            return .chunk(chunk)
        }
        return compileAsStatement(text)
    }

    /// Compiles `text` as a statement only; with `atEnd`, an unfinished statement is an error (the
    /// input ended inside it).
    func compileAsStatement(_ text: [UInt8], atEnd: Bool = false) -> Outcome {
        do {
            return .chunk(try state.load(bytes: text, chunkName: Self.chunkName))
        } catch let error as LuaError {
            if error.kind == .syntax && error.message.hasSuffix("<eof>") && !atEnd { return .incomplete }
            return .failed(error)
        } catch {
            return .failed(LuaError(.runtime, String(describing: error)))
        }
    }
}

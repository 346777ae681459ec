import DynamoDB
import Lua

/// The `explain` global: `explain "db.query('t', { index = 'gsi-status', where = { status = 'x' } })"`
/// (or `explain(function() ... end)`) runs the statement with its item requests held back
/// (``RequestLedger/explaining``) and prints each request it would send: GetItem, Query on which
/// index, Scan, with their key conditions and filters. Nothing is read or written: every held request
/// is answered as empty, so a loop over pages stops after its first. Table descriptions are still
/// read (the key names of a `where` come from one).
enum ExplainFunction {
    static let chunkName = "=[repl explain]"

    /// Compiles text as an expression or a statement, runs it explained, and always stops explaining.
    static let source = #"""
        local begin, finish, load, pcall, type, error = ...
        return function(what)
          local f = what
          if type(what) == "string" then
            f = load("return " .. what, "=explain") or load(what, "=explain")
            if f == nil then
              local _, message = load(what, "=explain")
              error(message, 2)
            end
          elseif type(what) ~= "function" then
            error(("bad argument #1 to 'explain' (string or function expected, got %s)"):format(type(what)), 2)
          end
          begin()
          local ok, message = pcall(f)
          finish()
          if not ok then error(message, 2) end
        end
        """#

    /// Sets the global `explain`, explaining through `ledger`.
    static func install(into state: LuaState, ledger: RequestLedger) throws {
        let begin = state.function(named: "explain") { call in
            ledger.reset()
            ledger.explaining = true
            return call.returning()
        }
        let finish = state.function(named: "explain") { call in
            ledger.explaining = false
            let entries = ledger.entries
            ledger.reset()
            let lines =
                entries.isEmpty
                ? ["-- no item requests (nothing to read or write)"]
                : entries.map { "-- would send " + RequestExplanation.line($0) }
            ConsoleOutput.write(lines.joined(separator: "\n") + "\n")
            return call.returning()
        }
        let chunk = try state.load(bytes: Array(source.utf8), chunkName: chunkName)
        let load = try state.global("load")
        let pcall = try state.global("pcall")
        let type = try state.global("type")
        let error = try state.global("error")
        let explain = try state.call(chunk, [begin, finish, load, pcall, type, error]).first ?? .nil
        try state.setGlobal("explain", explain)
    }
}

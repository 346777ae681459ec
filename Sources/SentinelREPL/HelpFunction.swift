import Lua
import SentinelScript

/// The `help` global: `help()` lists the API, `help "sentinel.apply"`, `help "db.query"` or
/// `help(sentinel.apply)` shows one function, all from the annotations embedded in the binary.
enum HelpFunction {
    static let chunkName = "=[repl help]"

    /// Finds a function's name by walking `sentinel` (raw, so no metamethod runs), then asks the host.
    static let source = #"""
        local text_for, write = ...
        local error, next, rawget, type = error, next, rawget, type

        local function name_of(target, value, path, depth)
          if value == target then return path end
          if type(value) ~= "table" or depth > 3 then return nil end
          for k, v in next, value do
            if type(k) == "string" then
              local found = name_of(target, v, path .. "." .. k, depth + 1)
              if found then return found end
            end
          end
          return nil
        end

        return function(what)
          if type(what) == "function" then
            what = name_of(what, rawget(_ENV, "sentinel"), "sentinel", 0)
            if what == nil then
              write("no help for this function; help() lists the API\n")
              return
            end
          elseif what ~= nil and type(what) ~= "string" then
            error(("bad argument #1 to 'help' (string or function expected, got %s)"):format(type(what)), 2)
          end
          write(text_for(what))
        end
        """#

    /// Sets the global `help`.
    static func install(into state: LuaState, documentation: APIDocumentation) throws {
        let text = HelpText(documentation: documentation)
        let textFor = state.function(named: "help") { call in
            guard let name = try call.optionalString(1) else {
                return call.returning(text.overview(width: TerminalWidth.current()))
            }
            return call.returning(text.entry(for: name))
        }
        let write = state.function(named: "help") { call in
            ConsoleOutput.write(try call.bytes(1).bytes)
            return call.returning()
        }
        let chunk = try state.load(bytes: Array(source.utf8), chunkName: chunkName)
        let help = try state.call(chunk, [textFor, write]).first ?? .nil
        try state.setGlobal("help", help)
    }

    /// The documentation of the `sentinel` module as this binary carries it.
    static var sentinelDocumentation: APIDocumentation {
        APIDocumentation(annotations: APIReference.annotations)
    }
}

import Lua

/// A destination for what scripts write with `print` and `io.write`: the text arrives as Lua wrote it
/// (bytes, not necessarily UTF-8), one write at a time, on the thread that runs the script.
public struct ScriptOutput: Sendable {
    public let write: @Sendable ([UInt8]) -> Void

    public init(_ write: @escaping @Sendable ([UInt8]) -> Void) {
        self.write = write
    }

    /// Replaces `print` and `io.write` in `state` with versions that write here. They behave as Lua's
    /// own: `print` runs `tostring` (so `__tostring` and `__name` count) and separates with tabs;
    /// `io.write` and `io.stdout:write` take strings and numbers.
    func install(into state: LuaState) throws {
        let sink = state.function(named: "output") { call in
            if case .string(let text) = try call.value(1) { write(text.bytes) }
            return call.returning()
        }
        let chunk = try state.load(bytes: Array(Self.redirection.utf8), chunkName: "=[output]")
        _ = try state.call(chunk, [sink])
    }

    private static let redirection = """
        local sink = ...
        local select, tostring, type, concat, error = select, tostring, type, table.concat, error
        print = function(...)
          local parts = {}
          for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
          sink(concat(parts, "\\t") .. "\\n")
        end
        if type(io) == "table" then
          local io = io
          -- io.write returns a stand-in for io.stdout, so `io.write(a):write(b)` chains as in Lua.
          local stdout = {}
          local function emit(offset, ...)
            for i = 1, select("#", ...) do
              local value = select(i, ...)
              local kind = type(value)
              if kind ~= "string" and kind ~= "number" then
                error(("bad argument #%d to 'write' (string expected, got %s)"):format(i + offset, kind), 3)
              end
              sink(tostring(value))
            end
          end
          stdout.write = function(self, ...)
            emit(0, ...)
            return self
          end
          stdout.flush = function(self) return self end
          io.write = function(...)
            emit(0, ...)
            return stdout
          end
          io.stdout = stdout
        end
        """
}

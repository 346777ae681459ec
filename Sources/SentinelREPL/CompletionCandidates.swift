import Lua

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tab completion of globals and fields, computed in Lua with `next` and `rawget` so that completing
/// never runs a metamethod (an `__index` could reach AWS or loop). Fields reachable through a chain of
/// `__index` tables count, so `s:` lists a schema's methods.
///
/// Inside a string that opens the arguments of a `db` function (`db.scan("Sent`) or follows
/// `table =` (`sentinel.find.active_sessions { table = "`), the candidates are table names, from
/// `sentinel.db.tables()`: the one place completing reaches AWS, so Ctrl-C can stop it.
struct CompletionCandidates {
    static let chunkName = "=[repl completion]"

    static let source = #"""
        local G = _ENV
        local getmetatable, next, rawget, type = getmetatable, next, rawget, type
        local sort = table.sort

        local keywords = {
          "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
          "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
        }

        local function is_name(text)
          return text:match("^[%a_][%w_]*$") ~= nil
        end

        -- A field by raw access, following __index tables (never __index functions).
        local function field(value, name)
          for _ = 1, 10 do
            if type(value) == "table" then
              local found = rawget(value, name)
              if found ~= nil then return found end
            end
            local mt = getmetatable(value)
            if type(mt) ~= "table" then return nil end
            value = rawget(mt, "__index")
            if type(value) ~= "table" then return nil end
          end
          return nil
        end

        local function add_fields(value, methods_only, names)
          for _ = 1, 10 do
            if type(value) == "table" then
              for k, v in next, value do
                if type(k) == "string" and is_name(k) and (not methods_only or type(v) == "function") then
                  names[k] = true
                end
              end
            end
            local mt = getmetatable(value)
            if type(mt) ~= "table" then return end
            value = rawget(mt, "__index")
            if type(value) ~= "table" then return end
          end
        end

        -- What opens a string naming a table, then the part of the name typed so far. The word being
        -- completed is only the end of that part: `-` and `.` break words, and table names hold both.
        local table_name_contexts = {
          "db%.[%a_][%w_]*%s*%(%s*[\"']([%w_%.%-]*)$",
          "[{,]%s*table%s*=%s*[\"']([%w_%.%-]*)$",
        }

        -- Table names starting with `typed`, each cut to what replaces `word` (the end of `typed`).
        local function table_names(typed, word)
          local sentinel = rawget(G, "sentinel")
          local db = type(sentinel) == "table" and rawget(sentinel, "db")
          local tables = type(db) == "table" and rawget(db, "tables")
          if type(tables) ~= "function" then return {} end
          local ok, names = pcall(tables)
          if not ok or type(names) ~= "table" then return {} end
          local kept = #typed - #word
          local candidates = {}
          for _, name in next, names do
            if type(name) == "string" and name:sub(1, #typed) == typed then
              candidates[#candidates + 1] = name:sub(kept + 1)
            end
          end
          sort(candidates)
          return candidates
        end

        return function(text, before)
          for _, context in next, table_name_contexts do
            local typed = (before .. text):match(context)
            if typed and #typed >= #text then return table_names(typed, text) end
          end
          local base, separator, partial = text:match("^(.-)([%.:])([%w_]*)$")
          local names = {}
          if base == nil then
            if text ~= "" and not is_name(text) then return {} end
            base, separator, partial = "", "", text
            add_fields(G, false, names)
            for _, keyword in next, keywords do names[keyword] = true end
          else
            local value = G
            for name in (base .. "."):gmatch("([^.]*)%.") do
              if not is_name(name) then return {} end
              value = field(value, name)
            end
            if value == nil then return {} end
            add_fields(value, separator == ":", names)
          end
          local candidates = {}
          for name in next, names do
            if name:sub(1, #partial) == partial then candidates[#candidates + 1] = base .. separator .. name end
          end
          sort(candidates)
          return candidates
        end
        """#

    private let complete: LuaValue
    private let state: LuaState

    init(state: LuaState) throws {
        self.state = state
        let chunk = try state.load(bytes: Array(Self.source.utf8), chunkName: Self.chunkName)
        complete = try state.call(chunk).first ?? .nil
    }

    /// The completions of `text` (the word before the cursor), sorted; none when anything fails.
    /// `before` is the line up to that word: it tells a table name from a Lua name.
    ///
    /// Ctrl-C while completing (a slow ListTables) stops the completion, not the session; the
    /// caller's own SIGINT handler is put back afterwards.
    func candidates(for text: [UInt8], before: [UInt8] = []) -> [String] {
        var callerHandler = sigaction()
        sigaction(SIGINT, nil, &callerHandler)
        defer { sigaction(SIGINT, &callerHandler, nil) }
        let arguments: [LuaValue] = [.string(LuaString(bytes: text)), .string(LuaString(bytes: before))]
        guard let result = try? state.routingInterrupts({ try state.call(complete, arguments) }).first else {
            return []
        }
        return (result.arrayValue ?? []).compactMap(\.stringValue)
    }
}

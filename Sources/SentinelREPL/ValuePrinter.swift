/// The REPL's printer, in Lua: cycles, metatables and userdata are simplest to handle where the values
/// live, and values never have to cross the bridge (a cycle could not).
///
/// The chunk returns `format(width, n, ...)`, which renders the `n` values for a terminal `width`
/// columns wide. It reads tables with `next` and `rawget` only, so no `__index` or `__pairs` of a
/// value runs; `__tostring` runs (inside `pcall`) because it is how userdata such as
/// `sentinel.number` say what they hold.
enum ValuePrinter {
    static let chunkName = "=[repl printer]"

    static let source = #"""
        local getmetatable, ipairs, next, pcall = getmetatable, ipairs, next, pcall
        local rawget, select, tostring, type = rawget, select, tostring, type
        local concat, sort = table.concat, table.sort
        local math_type, floor = math.type, math.floor
        local byte, format, rep, sub = string.byte, string.format, string.rep, string.sub
        local utf8_len, utf8_codes = utf8.len, utf8.codes

        local MAX_STRING = 400       -- bytes of a string shown before it is cut
        local MAX_CELL_STRING = 60   -- the same inside a table cell
        local MAX_ENTRIES = 200      -- entries of one table shown
        local MAX_DEPTH = 8          -- nesting shown before `{...}`
        local MAX_LINES = 2000       -- lines of output for one value
        local MAX_NODES = 20000      -- entries rendered for one value, however they nest

        local nodes = 0

        local identifier_keywords = {
          ["and"] = true, ["break"] = true, ["do"] = true, ["else"] = true, ["elseif"] = true,
          ["end"] = true, ["false"] = true, ["for"] = true, ["function"] = true, ["goto"] = true,
          ["if"] = true, ["in"] = true, ["local"] = true, ["nil"] = true, ["not"] = true, ["or"] = true,
          ["repeat"] = true, ["return"] = true, ["then"] = true, ["true"] = true, ["until"] = true,
          ["while"] = true,
        }

        local function is_identifier(key)
          return type(key) == "string" and key:match("^[%a_][%w_]*$") ~= nil and not identifier_keywords[key]
        end

        -- Terminal cells, as wcwidth(3) counts them (CellWidths, generated from Unicode's tables):
        -- two for East Asian wide characters and most emoji, none for combining marks and format
        -- characters, one for the rest. Ranges are first, last pairs in order.
        local WIDE = \#(CellWidths.wide)
        local ZERO = \#(CellWidths.zero)

        local function in_ranges(ranges, code)
          local low, high = 1, #ranges // 2
          while low <= high do
            local middle = (low + high) // 2
            if code < ranges[2 * middle - 1] then
              high = middle - 1
            elseif code > ranges[2 * middle] then
              low = middle + 1
            else
              return true
            end
          end
          return false
        end

        local function cells_of(code)
          if code < 0x300 then return 1 end
          if in_ranges(ZERO, code) then return 0 end
          if in_ranges(WIDE, code) then return 2 end
          return 1
        end

        -- Display width of text in terminal cells for UTF-8; bytes otherwise (shown escaped, one each).
        local function width_of(text)
          if not utf8_len(text) then return #text end
          local cells = 0
          for _, code in utf8_codes(text) do cells = cells + cells_of(code) end
          return cells
        end

        -- The longest start of text that fits in `n` cells (bytes when it is not UTF-8). Marks that
        -- take no cell stay with the character before them.
        local function prefix(text, n)
          if not utf8_len(text) then return sub(text, 1, n) end
          local cells = 0
          for position, code in utf8_codes(text) do
            local width = cells_of(code)
            if cells + width > n then return sub(text, 1, position - 1) end
            cells = cells + width
          end
          return text
        end

        -- Bidirectional controls (U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C) reorder what
        -- follows them on the terminal, so that text can look like other text: shown as escapes.
        local function escape_bidi(text)
          local function code(c) return format("\\u{%X}", utf8.codepoint(c)) end
          text = text:gsub("\226\128[\142\143\170-\174]", code)
          text = text:gsub("\226\129[\166-\169]", code)
          return (text:gsub("\216\156", code))
        end

        local function escape(text)
          local valid = utf8_len(text) ~= nil
          local escaped = text:gsub('[%c"\\\128-\255]', function(c)
            if c == "\n" then return "\\n" end
            if c == "\t" then return "\\t" end
            if c == "\r" then return "\\r" end
            if c == '"' then return '\\"' end
            if c == "\\" then return "\\\\" end
            local b = byte(c)
            if b >= 128 and valid then return c end
            return format("\\x%02X", b)
          end)
          return valid and escape_bidi(escaped) or escaped
        end

        -- Text an object gave for itself (`__tostring`), shown as it is: it is not a Lua string
        -- literal, so its quotes stay quotes (`sentinel.set SS{"a", "b"}`); only control characters and
        -- bytes that are not UTF-8 are escaped, so the terminal shows what was there.
        local function escape_shown(text)
          local valid = utf8_len(text) ~= nil
          local escaped = text:gsub('[%c\128-\255]', function(c)
            if c == "\n" then return "\\n" end
            if c == "\t" then return "\\t" end
            if c == "\r" then return "\\r" end
            local b = byte(c)
            if b >= 128 and valid then return c end
            return format("\\x%02X", b)
          end)
          return valid and escape_bidi(escaped) or escaped
        end

        -- A string as Lua source, cut after `limit` bytes with the full length noted.
        local function quote(text, limit)
          if #text > limit then
            local shown = sub(text, 1, limit)
            -- Do not split a UTF-8 sequence.
            while #shown > 0 and not utf8_len(shown) and #text - #shown < 4 + limit do
              local last = byte(shown, #shown)
              if last < 128 then break end
              shown = sub(shown, 1, #shown - 1)
              if utf8_len(shown) then break end
            end
            return '"' .. escape(shown) .. '"... (' .. #text .. " bytes)"
          end
          return '"' .. escape(text) .. '"'
        end

        local function metatable_name(value)
          local mt = getmetatable(value)
          if type(mt) ~= "table" then return nil end
          local name = rawget(mt, "__name")
          if type(name) == "string" then return name end
          return nil
        end

        -- Userdata (and tables with __tostring) as `name(text)`: `sentinel.number(12.5)`. In a table
        -- cell (`bare`), the text alone: `12.5`, and a set without its type name, `SS{"a", "b"}`.
        local function describe_object(value, bare)
          local mt = getmetatable(value)
          local name = metatable_name(value)
          local has_tostring = type(mt) == "table" and rawget(mt, "__tostring") ~= nil
          if has_tostring then
            local ok, text = pcall(tostring, value)
            if ok and type(text) == "string" then
              local named = name and sub(text, 1, #name) == name
              if bare then
                if named and sub(text, #name + 1, #name + 1) == " " then text = sub(text, #name + 2) end
                return escape_shown(text)
              end
              if name and not named then return name .. "(" .. escape_shown(text) .. ")" end
              return escape_shown(text)
            end
          end
          if has_tostring then return (name or type(value)) .. ": <__tostring failed>" end
          -- Without __tostring, tostring reads `__name` itself: `sentinel.number: 0x55...`.
          return tostring(value)
        end

        local function scalar(value, limit)
          local kind = type(value)
          if kind == "string" then return quote(value, limit) end
          if kind == "number" then
            if math_type(value) == "float" and value == floor(value) and value > -1e15 and value < 1e15 then
              return format("%.1f", value)
            end
            return tostring(value)
          end
          if kind == "nil" or kind == "boolean" then return tostring(value) end
          if kind == "userdata" then return describe_object(value) end
          return kind .. ": " .. (tostring(value):match("0x%x+") or "?")
        end

        local key_order = { number = 1, string = 2, boolean = 3 }

        local function compare_keys(a, b)
          local ta, tb = type(a), type(b)
          if ta ~= tb then return (key_order[ta] or 9) < (key_order[tb] or 9) or
            ((key_order[ta] or 9) == (key_order[tb] or 9) and ta < tb) end
          if ta == "number" or ta == "string" then return a < b end
          return tostring(a) < tostring(b)
        end

        -- The keys of a table (raw), sorted; and whether they are exactly 1..n.
        local function sorted_keys(t)
          local keys, count = {}, 0
          for k in next, t do
            count = count + 1
            keys[count] = k
          end
          local is_list = true
          for i = 1, count do
            if rawget(t, i) == nil then is_list = false break end
          end
          if not is_list then sort(keys, compare_keys) else
            for i = 1, count do keys[i] = i end
          end
          return keys, count, is_list
        end

        local render

        local function key_text(key)
          if is_identifier(key) then return key end
          return "[" .. scalar(key, MAX_CELL_STRING) .. "]"
        end

        -- Renders a table on one line when it fits in `room` columns, else over several, indented.
        local function render_table(t, indent, room, path, depth)
          if path[t] then return "<cycle>" end
          local name = metatable_name(t)
          local mt = getmetatable(t)
          if type(mt) == "table" and rawget(mt, "__tostring") ~= nil then return describe_object(t) end
          -- The bridge marks empty lists with a metatable named lua.array: not worth showing.
          local label = (name and name ~= "lua.array") and (name .. " ") or ""
          if next(t) == nil then return label .. "{}" end
          if depth >= MAX_DEPTH then return label .. "{...}" end
          path[t] = true
          local keys, count, is_list = sorted_keys(t)
          local parts = {}
          local shown = count < MAX_ENTRIES and count or MAX_ENTRIES
          for i = 1, shown do
            nodes = nodes + 1
            if nodes > MAX_NODES then
              parts[#parts + 1] = "..."
              break
            end
            local k = keys[i]
            local v = render(rawget(t, k), indent .. "  ", room - 2, path, depth + 1)
            if is_list then parts[i] = v else parts[i] = key_text(k) .. " = " .. v end
          end
          if count > shown then parts[#parts + 1] = "... (" .. (count - shown) .. " more)" end
          path[t] = nil
          local one_line = label .. "{ " .. concat(parts, ", ") .. " }"
          if not one_line:find("\n", 1, true) and width_of(one_line) <= room then return one_line end
          return label .. "{\n" .. indent .. "  " .. concat(parts, ",\n" .. indent .. "  ") .. ",\n" .. indent .. "}"
        end

        function render(value, indent, room, path, depth)
          if type(value) == "table" then return render_table(value, indent, room, path, depth) end
          return scalar(value, MAX_STRING)
        end

        -- A cell of the item table: strings unquoted, objects by their value, everything on one line.
        local function cell(value)
          if type(value) == "string" then
            local text = escape(value)
            if width_of(value) > MAX_CELL_STRING then return escape(prefix(value, MAX_CELL_STRING)) .. "..." end
            return text
          end
          local mt = getmetatable(value)
          if (type(value) == "userdata" or type(value) == "table") and type(mt) == "table"
            and rawget(mt, "__tostring") ~= nil then
            return describe_object(value, true)
          end
          if type(value) == "table" then return render_table(value, "", 1e9, {}, 6) end
          return scalar(value, MAX_CELL_STRING)
        end

        -- Whether `t` is a list of items: plain tables with string keys whose values fit in a cell.
        local function item_columns(t)
          local keys, count, is_list = sorted_keys(t)
          if not is_list or count == 0 or count > 1000 then return nil end
          local present, order, rows_with = {}, {}, {}
          for i = 1, count do
            local row = rawget(t, i)
            if type(row) ~= "table" or getmetatable(row) ~= nil or next(row) == nil then return nil end
            for k, v in next, row do
              if type(k) ~= "string" then return nil end
              if type(v) == "table" and #cell(v) > 40 then return nil end
              if not present[k] then
                present[k] = true
                order[#order + 1] = k
              end
              rows_with[k] = (rows_with[k] or 0) + 1
            end
          end
          -- Key attributes first: `id`, then attributes every item has (key attributes are among
          -- them), by name; then the rest, the most common first, so the rarest are the first left out.
          local function rank(k)
            if k == "id" then return 0 end
            if rows_with[k] == count then return 1 end
            return 2
          end
          sort(order, function(a, b)
            local ra, rb = rank(a), rank(b)
            if ra ~= rb then return ra < rb end
            if ra == 2 and rows_with[a] ~= rows_with[b] then return rows_with[a] > rows_with[b] end
            return a < b
          end)
          return order, count
        end

        local function pad(text, size)
          local w = width_of(text)
          if w > size then
            -- A wide character that would straddle the cut goes whole: the cell it leaves is padded.
            text = size <= 1 and prefix(text, size) or prefix(text, size - 1) .. "~"
            w = width_of(text)
          end
          return text .. rep(" ", size - w)
        end

        local SHORT_CELL = 24   -- values this wide (a timestamp, an id) are not cut while a column can go

        -- Column widths that fit `width`; returns how many columns are shown. In order: cut long
        -- columns down to SHORT_CELL (the widest first); if that is not enough, leave out the last
        -- column (the columns are ordered key first, then the common ones, the rarest last) and try
        -- again, so no value is cut below SHORT_CELL while a column can go; only a single column left
        -- is cut further, down to 4 cells.
        local function fit(widths, width)
          local n = #widths
          local natural = {}
          for i = 1, n do natural[i] = widths[i] end
          local function total(k)
            local sum = 0
            for i = 1, k do sum = sum + widths[i] end
            return sum + 2 * (k - 1)
          end
          local function shrink(k, floor)
            local excess = total(k) - width
            while excess > 0 do
              local widest = nil
              for i = 1, k do
                if widths[i] > floor and (widest == nil or widths[i] > widths[widest]) then widest = i end
              end
              if widest == nil then return end
              widths[widest] = widths[widest] - 1
              excess = excess - 1
            end
          end
          local shown = n
          while true do
            for i = 1, n do widths[i] = natural[i] end
            shrink(shown, SHORT_CELL)
            if total(shown) <= width then return shown end
            if shown == 1 then
              shrink(1, 4)
              return 1
            end
            shown = shown - 1
          end
        end

        local function render_items(t, columns, count, width)
          local rows, widths = {}, {}
          for c, name in ipairs(columns) do widths[c] = width_of(name) end
          for i = 1, count do
            local row, item = {}, rawget(t, i)
            for c, name in ipairs(columns) do
              local v = rawget(item, name)
              row[c] = v == nil and "" or cell(v)
              if width_of(row[c]) > widths[c] then widths[c] = width_of(row[c]) end
            end
            rows[i] = row
          end
          local shown = fit(widths, width)
          local lines = {}
          local function line(cells)
            local out = {}
            for c = 1, shown do out[c] = pad(cells[c], widths[c]) end
            return (concat(out, "  "):gsub("%s+$", ""))
          end
          lines[1] = line(columns)
          local rule = {}
          for c = 1, shown do rule[c] = rep("-", widths[c]) end
          lines[2] = concat(rule, "  ")
          for i = 1, count do lines[#lines + 1] = line(rows[i]) end
          local footer = count .. (count == 1 and " item" or " items")
          if shown < #columns then
            local hidden = {}
            for c = shown + 1, #columns do hidden[#hidden + 1] = columns[c] end
            footer = footer .. "; columns left out to fit: " .. concat(hidden, ", ")
          end
          lines[#lines + 1] = "(" .. footer .. ")"
          return concat(lines, "\n")
        end

        local function limit_lines(text)
          local lines, stop = 0, nil
          for position in text:gmatch("()\n") do
            lines = lines + 1
            if lines == MAX_LINES then stop = position break end
          end
          if stop then return sub(text, 1, stop) .. "... (output cut at " .. MAX_LINES .. " lines)" end
          return text
        end

        local function format_value(value, width)
          nodes = 0
          if type(value) == "table" then
            local columns, count = item_columns(value)
            if columns then return render_items(value, columns, count, width) end
          end
          return limit_lines(render(value, "", width, {}, 0))
        end

        return function(width, n, ...)
          local out = {}
          for i = 1, n do
            out[i] = format_value((select(i, ...)), width)
          end
          return concat(out, "\t")
        end
        """#
}

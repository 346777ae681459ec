import CLua54
import CLuaBridge

/// Finds the line of a table field in the caller's source, for errors about one key of a table
/// constructor that spans lines: Lua attributes the whole call `sentinel.table { ... }` to its first
/// line, but a typo such as `nmae = "x"` on line 7 should be reported on line 7.
///
/// Lua keeps no positions for table fields, so this reads the caller's source and looks for `key =` from
/// the call's line on. The source is the text the host itself loaded and kept under that chunk name
/// (the main script, modules `require` loaded: ``LuaState/load(bytes:chunkName:)``); it never opens
/// the file a chunk name names, since a script chooses chunk names (`load(code, "@/home/u/.aws/credentials")`,
/// `"@/dev/stdin"`). It is a search, not a parse: it takes the first such line within the next few
/// hundred, and gives up (the caller keeps the call's line) when no source was kept under that name or
/// the key is not found.
enum KeyLocator {
    /// How far past the call's first line a constructor's field is looked for.
    static let linesSearched = 500
    /// Larger sources are not searched.
    static let largestSource = 4 << 20

    /// `file:line` of `key` in the function at stack `level` of `lua`, or nil.
    static func location(ofKey key: String, level: Int32, in lua: OpaquePointer) -> String? {
        var frame = lua_Debug()
        guard lua_getstack(lua, level, &frame) != 0, lua_getinfo(lua, "Sl", &frame) != 0,
            frame.currentline > 0, let source = frame.source, source.pointee == UInt8(ascii: "@")
        else { return nil }
        guard let text = keptSource(named: source, in: lua) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = Int(frame.currentline) - 1
        guard first < lines.count else { return nil }
        for index in first..<min(lines.count, first + linesSearched) where assigns(key, in: lines[index]) {
            let shortSource = withUnsafeBytes(of: frame.short_src) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            return "\(shortSource):\(index + 1)"
        }
        return nil
    }

    /// Whether `line` has `key =` (not `==`) or `["key"] =` with `key` standing alone as a name.
    static func assigns(_ key: String, in line: Substring) -> Bool {
        let bytes = Array(line.utf8)
        let name = Array(key.utf8)
        guard !name.isEmpty, bytes.count >= name.count else { return false }
        func isNameByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || (byte >= 48 && byte <= 57)
                || ((byte | 0x20) >= 97 && (byte | 0x20) <= 122)
        }
        var start = 0
        while start + name.count <= bytes.count {
            defer { start += 1 }
            guard Array(bytes[start..<start + name.count]) == name else { continue }
            if start > 0, isNameByte(bytes[start - 1]) { continue }
            var next = start + name.count
            if next < bytes.count, isNameByte(bytes[next]) { continue }
            // `["key"]` and `['key']`: step over the closing quote and bracket.
            if next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\"") || bytes[next] == UInt8(ascii: "'"),
                bytes[next + 1] == UInt8(ascii: "]")
            {
                next += 2
            }
            while next < bytes.count, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") {
                next += 1
            }
            if next < bytes.count, bytes[next] == UInt8(ascii: "="),
                next + 1 >= bytes.count || bytes[next + 1] != UInt8(ascii: "=")
            {
                return true
            }
        }
        return false
    }

    /// The source text the host kept under `chunkName`, or nil.
    private static func keptSource(named chunkName: UnsafePointer<CChar>, in lua: OpaquePointer) -> String? {
        guard clb_push_kept_source(lua, chunkName) != 0 else { return nil }
        defer { clua_pop(lua, 1) }
        var length = 0
        guard let bytes = lua_tolstring(lua, -1, &length), length <= largestSource else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }
}

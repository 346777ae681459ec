import CLua54

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the line of a table field in the caller's source, for errors about one key of a table
/// constructor that spans lines: Lua attributes the whole call `sentinel.table { ... }` to its first
/// line, but a typo such as `nmae = "x"` on line 7 should be reported on line 7.
///
/// Lua keeps no positions for table fields, so this reads the caller's file (a chunk loaded from a file,
/// named `@path`) and looks for `key =` from the call's line on. It is a search, not a parse: it takes
/// the first such line within the next few hundred, and gives up (the caller keeps the call's line)
/// when the chunk is not a file, the file cannot be read, or the key is not found.
enum KeyLocator {
    /// How far past the call's first line a constructor's field is looked for.
    static let linesSearched = 500
    /// Larger files are not read for this.
    static let largestFile = 4 << 20

    /// `file:line` of `key` in the function at stack `level` of `lua`, or nil.
    static func location(ofKey key: String, level: Int32, in lua: OpaquePointer) -> String? {
        var frame = lua_Debug()
        guard lua_getstack(lua, level, &frame) != 0, lua_getinfo(lua, "Sl", &frame) != 0,
            frame.currentline > 0, let source = frame.source, source.pointee == UInt8(ascii: "@")
        else { return nil }
        let path = String(cString: source + 1)
        guard let text = readSmallFile(path) else { return nil }
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

    private static func readSmallFile(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > largestFile { return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

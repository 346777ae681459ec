import Crypto
import DynamoDBModel
import FileAccess
import JSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How far an import got: the items of its files (in order) written so far, and what the files were,
/// so that `--resume` goes on from there and refuses files that changed since.
struct ImportCheckpoint: Equatable {
    /// One input file as it was: its path, size, modification time and the SHA-256 of its bytes. Path,
    /// size and time alone miss a file rewritten with the same size and time (`touch -r`, a copy that
    /// keeps times): resuming it would skip lines that were never written, so the content decides.
    struct FileIdentity: Equatable {
        var path: String
        var size: Int
        var modified: Int
        /// Lowercase hex SHA-256 of the file's bytes (as stored, compressed or not); nil in a checkpoint
        /// written before digests were kept, which therefore never matches.
        var digest: String?

        init(path: String, size: Int, modified: Int, digest: String?) {
            self.path = path
            self.size = size
            self.modified = modified
            self.digest = digest
        }

        /// The regular file at `path` as it is now, examined and read through `root`.
        init(path: String, in root: FileRoot) throws(FileAccessError) {
            let (descriptor, status) = try root.openForReading(path)
            defer { close(descriptor) }
            var hash = SHA256()
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw FileAccessError(path: path, reason: .system(errno, action: "read"))
                }
                if count == 0 { break }
                hash.update(data: buffer[0..<count])
            }
            self.init(
                path: path, size: Int(status.st_size),
                modified: Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec),
                digest: hash.finalize().map { byte in
                    let hex = Array("0123456789abcdef".utf8)
                    return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
                }.joined())
        }
    }

    /// The first of `current` that is not the file this checkpoint saved at its place (changed,
    /// replaced, or another list of files), described for the refusal.
    func firstChangedFile(among current: [FileIdentity]) -> String? {
        for (index, file) in current.enumerated() {
            guard index < files.count else { return "\(file.path) (not among the files of the saved import)" }
            let saved = files[index]
            if saved.path != file.path { return "\(file.path) (the saved import had \(saved.path) there)" }
            if saved.digest != file.digest || saved.size != file.size {
                return "\(file.path) (its content differs from when the import was saved)"
            }
        }
        if files.count > current.count { return "\(files[current.count].path) (no longer among the files)" }
        return nil
    }

    var table: String
    var files: [FileIdentity]
    /// Items, counted from the first of the first file, written for certain.
    var items: Int

    /// Where an import of `paths` into `table` keeps its checkpoint: next to the first input.
    static func path(table: String, inputs: [String]) -> String {
        var first = inputs.first ?? "import"
        while first.count > 1, first.hasSuffix("/") { first.removeLast() }
        // A folder named `.` (or ending in `/.`) gets its checkpoint inside it, not a hidden name.
        if first == "." || first.hasSuffix("/.") { return "\(first)/\(table).import-checkpoint" }
        return "\(first).\(table).import-checkpoint"
    }

    var json: JSONValue {
        [
            "table": .string(table), "items": JSONValue(items),
            "files": .array(
                files.map { file in
                    [
                        "path": .string(file.path), "size": JSONValue(file.size),
                        "modified": JSONValue(file.modified),
                        "sha256": file.digest.map(JSONValue.string) ?? .null,
                    ]
                }),
        ]
    }

    /// The checkpoint at `path`, or nil when there is none; a file that is not one is an error.
    static func read(at path: String, in root: FileRoot) throws(DynamoDBError) -> ImportCheckpoint? {
        try CheckpointFile.read(at: path, in: root, kind: "an import checkpoint") {
            (reader) throws(ValueDecodingError) in
            ImportCheckpoint(
                table: try reader.required("table").string(),
                files: try reader.required("files").array().map { (file) throws(ValueDecodingError) in
                    FileIdentity(
                        path: try file.required("path").string(), size: try file.required("size").int(),
                        modified: try file.required("modified").int(),
                        digest: try file.optionalString("sha256"))
                },
                items: try reader.required("items").int())
        }
    }

    func write(to path: String, in root: FileRoot) throws(DynamoDBError) {
        try CheckpointFile.write(json, to: path, in: root)
    }
}

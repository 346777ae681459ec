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
    /// One input file as it was: its path, size and modification time.
    struct FileIdentity: Equatable {
        var path: String
        var size: Int
        var modified: Int

        init(path: String, size: Int, modified: Int) {
            self.path = path
            self.size = size
            self.modified = modified
        }

        /// The regular file at `path` as it is now, examined through `root`.
        init(path: String, in root: FileRoot) throws(FileAccessError) {
            let (descriptor, status) = try root.openForReading(path)
            close(descriptor)
            self.init(
                path: path, size: Int(status.st_size),
                modified: Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec))
        }
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
                    ]
                }),
        ]
    }

    /// The checkpoint at `path`, or nil when there is none; a file that is not one is an error.
    static func read(at path: String, in root: FileRoot) throws(DynamoDBError) -> ImportCheckpoint? {
        let contents: [UInt8]?
        do throws(FileAccessError) {
            contents = try root.contents(of: path)
        } catch {
            throw .file(error)
        }
        guard let bytes = contents else { return nil }
        do {
            let reader = JSONReader(try JSONParser().parse(bytes: bytes), path: "")
            return ImportCheckpoint(
                table: try reader.required("table").string(),
                files: try reader.required("files").array().map { (file) throws(ValueDecodingError) in
                    FileIdentity(
                        path: try file.required("path").string(), size: try file.required("size").int(),
                        modified: try file.required("modified").int())
                },
                items: try reader.required("items").int())
        } catch {
            throw .configuration("\(path) is not an import checkpoint (\(error)); remove it to start again")
        }
    }

    func write(to path: String, in root: FileRoot) throws(DynamoDBError) {
        do throws(FileAccessError) {
            try root.writeAtomically(JSONWriter(style: .compact).bytes(from: json), to: path, mode: 0o644)
        } catch {
            throw .file(error)
        }
    }
}

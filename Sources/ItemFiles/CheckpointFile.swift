import DynamoDBModel
import FileAccess
import JSON

/// The files import and migrate keep their positions in: JSON beneath a ``FileRoot``, read back (or
/// found missing) and replaced at once, so a stop mid-write leaves the old position, never half of one.
enum CheckpointFile {
    /// The checkpoint at `path` decoded by `decode`, or nil when there is none; a file that is not
    /// `kind` (`an import checkpoint`) is an error that says how to start again.
    static func read<Checkpoint>(
        at path: String, in root: FileRoot, kind: String,
        _ decode: (JSONReader) throws(ValueDecodingError) -> Checkpoint
    ) throws(DynamoDBError) -> Checkpoint? {
        let contents: [UInt8]?
        do throws(FileAccessError) {
            contents = try root.contents(of: path)
        } catch {
            throw .file(error)
        }
        guard let bytes = contents else { return nil }
        do {
            return try decode(JSONReader(try JSONParser().parse(bytes: bytes), path: ""))
        } catch {
            throw .input("\(path) is not \(kind) (\(error)); remove it to start again")
        }
    }

    /// Replaces the checkpoint at `path` with `json`.
    static func write(_ json: JSONValue, to path: String, in root: FileRoot) throws(DynamoDBError) {
        do throws(FileAccessError) {
            try root.writeAtomically(JSONWriter(style: .compact).bytes(from: json), to: path, mode: 0o644)
        } catch {
            throw .file(error)
        }
    }
}

import DynamoDBModel
import FileAccess
import JSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How far one segment of a table copy got: where its scan goes on (the `LastEvaluatedKey` after the
/// last page whose items were all written) and what it counted so far. One file per segment, so that
/// segments save their position without waiting for each other; a resumed copy starts each segment
/// after its last whole page, so at most one page per segment is written again (the same items, put
/// again: the result does not change).
struct CopyCheckpoint: Equatable {
    var source: String
    var target: String
    var segment: Int
    var segments: Int
    /// Where the segment's scan goes on; nil with `finished` false: from its first item.
    var nextKey: Item?
    var finished: Bool
    /// Source items read, items written to the target, items the transform left out.
    var scanned: Int
    var copied: Int
    var leftOut: Int

    /// The checkpoint file of `segment` of `segments` copying `source` to `target` in `directory`.
    static func path(directory: String, source: String, target: String, segment: Int, segments: Int) -> String
    {
        var directory = directory
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        return "\(directory)/\(source).to.\(target).segment-\(segment)-of-\(segments).migrate-checkpoint"
    }

    var json: JSONValue {
        [
            "source": .string(source), "target": .string(target), "segment": JSONValue(segment),
            "segments": JSONValue(segments), "nextKey": nextKey.map(AttributeValue.json) ?? .null,
            "finished": .bool(finished), "scanned": JSONValue(scanned), "copied": JSONValue(copied),
            "leftOut": JSONValue(leftOut),
        ]
    }

    /// The checkpoint at `path`, or nil when there is none; a file that is not one is an error.
    static func read(at path: String, in root: FileRoot) throws(DynamoDBError) -> CopyCheckpoint? {
        try CheckpointFile.read(at: path, in: root, kind: "a migration checkpoint") {
            (reader) throws(ValueDecodingError) in
            let nextKey = try reader.optional("nextKey").map { (key) throws(ValueDecodingError) in
                try AttributeValue.item(key)
            }
            return CopyCheckpoint(
                source: try reader.required("source").string(),
                target: try reader.required("target").string(),
                segment: try reader.required("segment").int(),
                segments: try reader.required("segments").int(),
                nextKey: nextKey, finished: try reader.required("finished").bool(),
                scanned: try reader.required("scanned").int(), copied: try reader.required("copied").int(),
                leftOut: try reader.required("leftOut").int())
        }
    }

    func write(to path: String, in root: FileRoot) throws(DynamoDBError) {
        try CheckpointFile.write(json, to: path, in: root)
    }
}

import AWS
import CZlib
import DynamoDBModel
import FileAccess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a file of items so that it appears whole or not at all: lines go to a temporary file in the
/// destination's directory (a ``FileAccess/TemporaryFile``: the directory is opened once, through the
/// root, when the writer is made, and the file is renamed in that same directory), which ``commit()``
/// flushes to disk and puts in place; ``discard()`` (or deinitialising without a commit) removes it. A
/// destination ending in `.gz` is gzip-compressed, as DynamoDB's own exports are. Standard output (`-`,
/// for the unrestricted root only) is written as it goes.
public final class ItemFileWriter {
    public let path: String
    /// The error's message when standard output was closed by its reader (`| head`).
    public static let outputClosed = "standard output was closed by its reader"
    private let file: TemporaryFile?
    private let replace: Bool
    private let descriptor: Int32
    private let compressed: gzFile?
    private var pending: [UInt8] = []
    /// What `pending` holds from the caller's budget: its largest size, since flushing keeps its capacity.
    private let held: MemoryHold
    private var finished = false

    /// Opens a writer for `path` through `root` (`-` for standard output when `root` is unrestricted).
    /// Unless `replace` is true, an existing file is an error (and is left alone), now and again when
    /// the file is put in place. The lines waiting to be written are held from `memory`.
    public init(
        path: String, replace: Bool, in root: FileRoot = .unrestricted, memory: MemoryBudget = .unlimited
    ) throws(DynamoDBError) {
        self.path = path
        self.replace = replace
        held = memory.hold()
        if path == "-", !root.isRestricted {
            file = nil
            descriptor = STDOUT_FILENO
            compressed = nil
            return
        }
        do throws(FileAccessError) {
            if !replace, try root.status(of: path) != nil {
                throw FileAccessError(path: path, reason: .system(EEXIST, action: "write"))
            }
            let file = try root.temporaryFile(for: path, mode: 0o644 & ~Self.creationMask)
            self.file = file
            descriptor = file.descriptor
        } catch {
            throw .file(error)
        }
        // zlib writes through its own descriptor; ours stays open for fsync.
        compressed = path.hasSuffix(".gz") ? gzdopen(dup(descriptor), "wb6") : nil
    }

    deinit {
        if !finished { discard() }
    }

    /// Appends one line (a newline is added).
    public func write(line: [UInt8]) throws(DynamoDBError) {
        try held.set(max(held.bytes, pending.count + line.count + 1), for: "writing \(path)")
        pending.append(contentsOf: line)
        pending.append(UInt8(ascii: "\n"))
        if pending.count >= 1 << 16 { try flushPending() }
    }

    /// Appends bytes that are whole lines, newlines included.
    public func write(bytes: [UInt8]) throws(DynamoDBError) {
        try held.set(max(held.bytes, pending.count + bytes.count), for: "writing \(path)")
        pending.append(contentsOf: bytes)
        if pending.count >= 1 << 16 { try flushPending() }
    }

    /// Flushes everything to disk and puts the file in place.
    public func commit() throws(DynamoDBError) {
        try flushPending()
        finished = true
        guard let file else { return }
        if let compressed, gzclose(compressed) != Z_OK {
            file.discard()
            throw .input("cannot write \(path): compression failed")
        }
        do throws(FileAccessError) {
            try file.commit(replace: replace)
        } catch {
            throw .file(error)
        }
    }

    /// Removes the temporary file: the destination is as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        guard let file else { return }
        if let compressed { gzclose(compressed) }
        file.discard()
    }

    private func flushPending() throws(DynamoDBError) {
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        if let compressed {
            let written = pending.withUnsafeBytes { gzwrite(compressed, $0.baseAddress, UInt32($0.count)) }
            if Int(written) != pending.count {
                throw .input("cannot write \(path): compression failed")
            }
            return
        }
        let code = writeAll(pending, to: descriptor)
        if code == EPIPE, file == nil { throw .input(Self.outputClosed) }
        if code != 0 { throw .input("cannot write \(path): \(String(cString: strerror(code)))") }
    }

    /// The process's file creation mask, read without changing it for long.
    private static var creationMask: mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}

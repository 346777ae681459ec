import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a file of items so that it appears whole or not at all: lines go to a temporary file next to
/// the destination, which ``commit()`` flushes to disk and renames over it; ``discard()`` (or
/// deinitialising without a commit) removes it. A destination ending in `.gz` is gzip-compressed, as
/// DynamoDB's own exports are. Standard output (`-`) is written as it goes.
public final class ItemFileWriter {
    public let path: String
    /// The error's message when standard output was closed by its reader (`| head`).
    public static let outputClosed = "standard output was closed by its reader"
    private let temporaryPath: String?
    private let descriptor: Int32
    private let compressed: gzFile?
    private var pending: [UInt8] = []
    private var finished = false

    /// Opens a writer for `path` (`-` for standard output). Unless `replace` is true, an existing file
    /// is an error (and is left alone).
    public init(path: String, replace: Bool) throws(DynamoDBError) {
        self.path = path
        if path == "-" {
            temporaryPath = nil
            descriptor = STDOUT_FILENO
            compressed = nil
            return
        }
        if !replace, access(path, F_OK) == 0 {
            throw .configuration("\(path) already exists; it was left as it is")
        }
        var template = Array("\(path).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw .configuration("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        let temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        fchmod(descriptor, 0o644 & ~Self.creationMask)
        self.descriptor = descriptor
        self.temporaryPath = temporaryPath
        if path.hasSuffix(".gz") {
            // zlib writes through its own descriptor; ours stays open for fsync.
            compressed = gzdopen(dup(descriptor), "wb6")
        } else {
            compressed = nil
        }
    }

    deinit {
        if !finished { discard() }
    }

    /// Appends one line (a newline is added).
    public func write(line: [UInt8]) throws(DynamoDBError) {
        pending.append(contentsOf: line)
        pending.append(UInt8(ascii: "\n"))
        if pending.count >= 1 << 16 { try flushPending() }
    }

    /// Appends bytes that are whole lines, newlines included.
    public func write(bytes: [UInt8]) throws(DynamoDBError) {
        pending.append(contentsOf: bytes)
        if pending.count >= 1 << 16 { try flushPending() }
    }

    /// Flushes everything to disk and puts the file in place.
    public func commit() throws(DynamoDBError) {
        try flushPending()
        finished = true
        guard let temporaryPath else { return }
        var code: Int32 = 0
        if let compressed, gzclose(compressed) != Z_OK { code = EIO }
        if code == 0, fsync(descriptor) != 0 { code = errno }
        if close(descriptor) != 0, code == 0 { code = errno }
        if code == 0, rename(temporaryPath, path) != 0 { code = errno }
        if code != 0 {
            unlink(temporaryPath)
            throw .configuration("cannot write \(path): \(String(cString: strerror(code)))")
        }
    }

    /// Removes the temporary file: the destination is as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        guard let temporaryPath else { return }
        if let compressed { gzclose(compressed) }
        close(descriptor)
        unlink(temporaryPath)
    }

    private func flushPending() throws(DynamoDBError) {
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        if let compressed {
            let written = pending.withUnsafeBytes { gzwrite(compressed, $0.baseAddress, UInt32($0.count)) }
            if Int(written) != pending.count {
                throw .configuration("cannot write \(path): compression failed")
            }
            return
        }
        let code = writeAll(pending, to: descriptor)
        if code == EPIPE, temporaryPath == nil { throw .configuration(Self.outputClosed) }
        if code != 0 { throw .configuration("cannot write \(path): \(String(cString: strerror(code)))") }
    }

    /// The process's file creation mask, read without changing it for long.
    private static var creationMask: mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}

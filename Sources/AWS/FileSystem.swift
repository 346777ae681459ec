import DynamoDBModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the configuration resolver reads the shared AWS files from (and writes the SSO token cache
/// back to): a seam so tests can hand it files without touching the real home directory.
public protocol FileSystem: Sendable {
    /// The bytes of the file at `path`, or `nil` when there is no file there. Throws when a file
    /// exists but cannot be read.
    func contents(atPath path: String) throws(DynamoDBError) -> [UInt8]?

    /// Replaces the file at `path` with `bytes` at once, with permissions `mode`: a reader sees the
    /// old file or the new one, never a part. The directory must exist.
    func write(_ bytes: [UInt8], toPath path: String, mode: mode_t) throws(DynamoDBError)
}

extension FileSystem {
    /// A file system that only reads: every write fails.
    public func write(_ bytes: [UInt8], toPath path: String, mode: mode_t) throws(DynamoDBError) {
        throw .configuration("cannot write \(path): this file system is read-only")
    }
}

/// The machine's file system, read with the C library (no Foundation).
public struct LocalFileSystem: FileSystem {
    public init() {}

    public func contents(atPath path: String) throws(DynamoDBError) -> [UInt8]? {
        guard let file = fopen(path, "rb") else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw .configuration("cannot read \(path): \(String(cString: strerror(code)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes.append(contentsOf: buffer[0..<count])
            if count < buffer.count {
                if ferror(file) != 0 { throw .configuration("cannot read \(path): read error") }
                return bytes
            }
        }
    }
}

extension LocalFileSystem {
    /// Writes a temporary file next to `path` (`mkstemp`), flushes it to disk and renames it over
    /// `path`, as botocore's JSON file cache does; the temporary file is removed when anything fails.
    public func write(_ bytes: [UInt8], toPath path: String, mode: mode_t) throws(DynamoDBError) {
        func failure(_ code: Int32) -> DynamoDBError {
            .configuration("cannot write \(path): \(String(cString: strerror(code)))")
        }
        var template = Array("\(path).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failure(errno) }
        let temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var code = fchmod(descriptor, mode) == 0 ? 0 : errno
        if code == 0 { code = writeAll(bytes, to: descriptor) }
        if code == 0, fsync(descriptor) != 0 { code = errno }
        if close(descriptor) != 0, code == 0 { code = errno }
        if code == 0, rename(temporaryPath, path) != 0 { code = errno }
        if code != 0 {
            unlink(temporaryPath)
            throw failure(code)
        }
    }
}

/// Writes all of `bytes` to the open file `descriptor`; `0`, or the `errno` of the failed write.
package func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32 {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { buffer in
            write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        }
        if written < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += written
    }
    return 0
}

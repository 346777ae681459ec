#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the configuration resolver reads the shared AWS files from: a seam so tests can hand it
/// files without touching the real home directory.
public protocol FileSystem: Sendable {
    /// The bytes of the file at `path`, or `nil` when there is no file there. Throws when a file
    /// exists but cannot be read.
    func contents(atPath path: String) throws(DynamoDBError) -> [UInt8]?
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

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file being written so that it appears whole or not at all: made with `O_CREAT | O_EXCL` under a
/// random hidden name in the destination's directory (opened once, by ``FileRoot/temporaryFile(for:mode:)``),
/// then flushed and renamed in that same directory by ``commit(replace:)``, or removed by
/// ``discard()``. Not thread-safe: one writer at a time.
public final class TemporaryFile {
    /// The destination as it was named.
    public let path: String
    /// The temporary file, open for writing.
    public let descriptor: Int32
    private let directory: Int32
    private let name: String
    private let temporaryName: String
    private var finished = false

    init(path: String, descriptor: Int32, directory: Int32, name: String, temporaryName: String) {
        self.path = path
        self.descriptor = descriptor
        self.directory = directory
        self.name = name
        self.temporaryName = temporaryName
    }

    deinit {
        discard()
        close(directory)
    }

    /// Appends `bytes`.
    public func write(_ bytes: [UInt8]) throws(FileAccessError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                writeSome(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileAccessError(path: path, reason: .system(errno, action: "write"))
            }
            offset += written
        }
    }

    /// Flushes the file to disk, closes it and puts it in place: over an existing file when `replace`,
    /// otherwise only if nothing of that name exists by then (an existing file is left as it was and
    /// the error says so). The temporary file is removed when anything fails.
    public func commit(replace: Bool) throws(FileAccessError) {
        guard !finished else { return }
        finished = true
        var code: Int32 = 0
        if fsync(descriptor) != 0 { code = errno }
        if close(descriptor) != 0, code == 0 { code = errno }
        if code == 0 {
            if replace {
                if renameat(directory, temporaryName, directory, name) != 0 { code = errno }
            } else {
                // A hard link fails if the name exists, where a rename would replace it.
                if linkat(directory, temporaryName, directory, name, 0) != 0 { code = errno }
            }
        }
        if code != 0 || !replace { unlinkat(directory, temporaryName, 0) }
        if code != 0 { throw FileAccessError(path: path, reason: .system(code, action: "write")) }
    }

    /// Closes and removes the temporary file: the destination is as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        close(descriptor)
        unlinkat(directory, temporaryName, 0)
    }
}

/// The C library's `write`, which the method of the same name hides inside the class.
private func writeSome(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

import CFileAccess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The authority to reach files: every open, create, rename, removal and listing the toolkit does on
/// behalf of a user or a script goes through one of these (DESIGN.md, Lua host rule 7).
///
/// A *restricted* root holds a directory opened once; paths are relative to it and are opened beneath
/// it with no symbolic link followed (`openat2` with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS`, or a
/// component-by-component `O_NOFOLLOW` walk where the kernel has no `openat2`: CFileAccess's one rule),
/// and absolute paths, `..`, hidden components (`.aws`, `.ssh`, `.git`) and `-` are refused. Nothing is
/// checked first and used later, so a directory swapped for a symbolic link between a check and a use
/// cannot lead out: there is no separate check. Scripts get one made once on the working directory.
///
/// ``unrestricted`` reaches any path as the process can (the command line's user names their own
/// files); it still lists folders by the same rule.
public final class FileRoot: Sendable {
    /// The open directory of a restricted root; nil for the unrestricted one.
    private let descriptor: Int32?
    /// How the directory was named when it was opened, for messages.
    public let name: String

    /// Any path, as the process can reach it (`AT_FDCWD`).
    public static let unrestricted = FileRoot(descriptor: nil, name: "")

    /// A restricted root that reaches nothing (every open fails): what scripts get when the working
    /// directory cannot be opened.
    public static let nowhere = FileRoot(descriptor: -1, name: "")

    private init(descriptor: Int32?, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    /// A restricted root on the directory at `path` (resolved as the process resolves it: the caller
    /// chose it), opened now and kept open.
    public convenience init(directory path: String) throws(FileAccessError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw FileAccessError(path: path, reason: .system(errno, action: "open"))
        }
        self.init(descriptor: descriptor, name: path)
    }

    deinit {
        if let descriptor, descriptor >= 0 { close(descriptor) }
    }

    /// Whether paths are confined beneath a directory.
    public var isRestricted: Bool { descriptor != nil }

    /// The directory's descriptor, for C code that opens beneath it by the same rule (`require`);
    /// `AT_FDCWD` for the unrestricted root. Valid while this root lives.
    public var directoryDescriptor: Int32 { descriptor ?? AT_FDCWD }

    // MARK: Opening

    /// Opens `path` with `flags` (and `mode` when creating): beneath the directory by the one rule, or
    /// as given for the unrestricted root. The caller owns the descriptor. `action` names the attempt
    /// in errors (`read`, `write`).
    public func openFile(_ path: String, flags: Int32, mode: mode_t = 0, action: String)
        throws(FileAccessError)
        -> Int32
    {
        try refuseIfRestricted(path)
        var opened: Int32
        if let descriptor {
            opened = fa_open_beneath(descriptor, path, flags, mode)
        } else {
            repeat {
                opened = openat(AT_FDCWD, path, flags | O_CLOEXEC, mode)
            } while opened < 0 && errno == EINTR
        }
        guard opened >= 0 else { throw failure(path, errno, action: action) }
        return opened
    }

    /// Opens the regular file at `path` for reading; a directory, device or pipe is an error (a pipe
    /// would block the open). Returns the descriptor (the caller closes it) and the file's status.
    public func openForReading(_ path: String) throws(FileAccessError) -> (descriptor: Int32, status: stat) {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it has no effect on regular files.
        let file = try openFile(path, flags: O_RDONLY | O_NONBLOCK | O_NOCTTY, action: "read")
        var status = stat()
        guard fstat(file, &status) == 0 else {
            let code = errno
            close(file)
            throw FileAccessError(path: path, reason: .system(code, action: "read"))
        }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else {
            close(file)
            throw FileAccessError(
                path: path, reason: .wrongKind(kind == S_IFDIR ? "a directory" : "not a regular file"))
        }
        return (file, status)
    }

    /// The status of what is at `path` without following a final symbolic link; nil when nothing is
    /// there.
    public func status(of path: String) throws(FileAccessError) -> stat? {
        let (parent, name) = try openParent(of: path, action: "read")
        defer { close(parent) }
        var status = stat()
        guard fstatat(parent, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return nil }
            throw FileAccessError(path: path, reason: .system(errno, action: "read"))
        }
        return status
    }

    /// The bytes of the regular file at `path`, or nil when there is none; at most `limit` bytes (a
    /// larger file is an error).
    public func contents(of path: String, limit: Int = 16 << 20) throws(FileAccessError) -> [UInt8]? {
        let file: Int32
        do {
            file = try openForReading(path).descriptor
        } catch let error where error.isMissing {
            return nil
        }
        defer { close(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileAccessError(path: path, reason: .system(errno, action: "read"))
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            if bytes.count > limit {
                throw FileAccessError(path: path, reason: .wrongKind("larger than \(limit >> 20) MB"))
            }
        }
    }

    /// Whether the directory at `path` can be opened (a checkpoint folder named before any work).
    public func requireDirectory(_ path: String) throws(FileAccessError) {
        close(try openFile(path, flags: O_RDONLY | O_DIRECTORY, action: "open"))
    }

    // MARK: Writing

    /// A new temporary file in the directory of `path`, to be renamed over `path` by
    /// ``TemporaryFile/commit(replace:)``; the directory is opened once, now, and the rename happens
    /// in that same directory.
    public func temporaryFile(for path: String, mode: mode_t = 0o644) throws(FileAccessError) -> TemporaryFile
    {
        let (parent, name) = try openParent(of: path, action: "write")
        guard !name.isEmpty, name != ".", name != ".." else {
            closeParent(parent)
            throw FileAccessError(path: path, reason: .wrongKind("a directory"))
        }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let temporaryName = ".\(name).tmp-\(String(random.next() as UInt64, radix: 36))"
            let file = openat(
                parent, temporaryName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if file >= 0 {
                return TemporaryFile(
                    path: path, descriptor: file, directory: parent, name: name, temporaryName: temporaryName)
            }
            if errno == EEXIST || errno == EINTR { continue }
            let code = errno
            closeParent(parent)
            throw FileAccessError(path: path, reason: .system(code, action: "write"))
        }
        closeParent(parent)
        throw FileAccessError(path: path, reason: .system(EEXIST, action: "write"))
    }

    /// Replaces the file at `path` with `bytes` at once (a temporary file flushed to disk and renamed
    /// over it): a reader sees the old file or the new one, never a part.
    public func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644)
        throws(FileAccessError)
    {
        let file = try temporaryFile(for: path, mode: mode)
        do throws(FileAccessError) {
            try file.write(bytes)
            try file.commit(replace: true)
        } catch {
            file.discard()
            throw error
        }
    }

    /// Removes the file at `path` (never a directory, never through a symbolic link); a missing file is
    /// not an error.
    public func remove(_ path: String) throws(FileAccessError) {
        let (parent, name) = try openParent(of: path, action: "remove")
        defer { closeParent(parent) }
        if unlinkat(parent, name, 0) != 0, errno != ENOENT {
            throw FileAccessError(path: path, reason: .system(errno, action: "remove"))
        }
    }

    // MARK: Listing

    /// The entries of the directory at `path`: its regular files by name, and the rest (symbolic links,
    /// hidden entries, directories, anything else) as left out. Entries are examined without following
    /// links, in the directory opened once.
    public func list(_ path: String) throws(FileAccessError) -> DirectoryListing {
        let directory = try openFile(path, flags: O_RDONLY | O_DIRECTORY, action: "list")
        guard let handle = fdopendir(directory) else {
            let code = errno
            close(directory)
            throw FileAccessError(path: path, reason: .system(code, action: "list"))
        }
        defer { closedir(handle) }
        var files: [String] = []
        var leftOut: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var status = stat()
            if !name.hasPrefix("."), fstatat(directory, name, &status, AT_SYMLINK_NOFOLLOW) == 0,
                status.st_mode & S_IFMT == S_IFREG
            {
                files.append(name)
            } else {
                leftOut.append(name)
            }
        }
        return DirectoryListing(files: files.sorted(), leftOut: leftOut.sorted())
    }

    // MARK: Paths

    /// Throws the rule `path` breaks when this root is restricted; nothing for the unrestricted root.
    public func refuseIfRestricted(_ path: String) throws(FileAccessError) {
        guard descriptor != nil else { return }
        let why: String? =
            switch fa_check_relative(path) {
            case FA_PATH_OK: nil
            case FA_PATH_EMPTY: "is empty"
            case FA_PATH_ABSOLUTE: "is an absolute path"
            case FA_PATH_PARENT: "leaves the directory through '..'"
            case FA_PATH_HIDDEN: "names a hidden file or folder"
            case FA_PATH_STANDARD_OUTPUT: "names standard output"
            default: "is not a relative path"
            }
        if let why { throw FileAccessError(path: path, reason: .refused(why)) }
    }

    /// The error for a failed open: a symbolic link on the way (or an escape) is a refusal.
    private func failure(_ path: String, _ code: Int32, action: String) -> FileAccessError {
        if descriptor != nil, code == ELOOP || code == EXDEV || code == EPERM {
            return FileAccessError(
                path: path, reason: .refused("leads outside the working directory or through a symbolic link")
            )
        }
        return FileAccessError(path: path, reason: .system(code, action: action))
    }

    /// The directory that holds `path`, opened by the rule, and the last component's name.
    private func openParent(of path: String, action: String) throws(FileAccessError) -> (Int32, String) {
        try refuseIfRestricted(path)
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let parentPath: String
        let name: String
        if let slash = trimmed.lastIndex(of: "/") {
            parentPath = slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
            name = String(trimmed[trimmed.index(after: slash)...])
        } else {
            parentPath = "."
            name = String(trimmed)
        }
        do throws(FileAccessError) {
            return (try openFile(parentPath, flags: O_RDONLY | O_DIRECTORY, action: action), name)
        } catch {
            // Named as the caller named it, not by the folder that failed.
            throw FileAccessError(path: path, reason: error.reason)
        }
    }

    private func closeParent(_ parent: Int32) { close(parent) }
}

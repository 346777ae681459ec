#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a file could not be reached through a ``FileRoot``: a path the root refuses, or what the system
/// said. The description is a whole sentence naming the path.
public struct FileAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path as it was given.
    public var path: String
    /// What went wrong.
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        /// A path a restricted root never opens; the text says which rule it breaks.
        case refused(String)
        /// The file is there but is not what was asked for (a directory where a file was wanted, a
        /// device, a pipe).
        case wrongKind(String)
        /// The `errno` of the failed call, and what was being done (`read`, `write`, `list`).
        case system(Int32, action: String)
    }

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// Whether the file (or a directory on its way) does not exist.
    public var isMissing: Bool {
        if case .system(let code, _) = reason { return code == ENOENT || code == ENOTDIR }
        return false
    }

    /// Whether a file of that name already exists.
    public var alreadyExists: Bool {
        if case .system(let code, _) = reason { return code == EEXIST }
        return false
    }

    public var description: String {
        switch reason {
        case .refused(let why):
            return "'\(path)' \(why); only files inside the working directory can be reached"
        case .wrongKind(let what):
            return "cannot read \(path): it is \(what)"
        case .system(EEXIST, _):
            return "\(path) already exists; it was left as it is"
        case .system(let code, let action):
            return "cannot \(action) \(path): \(String(cString: strerror(code)))"
        }
    }
}

import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The script argument of the commands that run one. A script that is missing, unreadable or a
/// directory is a usage error (status 2) alike: each is a wrong argument, found before anything runs.
///
/// Commands check it first thing in `run()`, not in `validate()`: ArgumentParser validates before it
/// reports unknown options, so `plan --endpont-url URL s.lua` would otherwise say that the script
/// 'URL' cannot be read instead of naming the misspelt option.
enum ScriptPath {
    /// Whether `path` is a file the tool can read (the start-up fast path takes only those).
    static func isReadableFile(_ path: String) -> Bool {
        access(path, R_OK) == 0 && !isDirectory(path)
    }

    static func check(_ path: String) throws {
        guard access(path, R_OK) == 0 else { throw ValidationError("cannot read script '\(path)'") }
        if isDirectory(path) { throw ValidationError("cannot read script '\(path)': it is a directory") }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }
}

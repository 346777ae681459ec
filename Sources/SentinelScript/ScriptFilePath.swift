#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files a script may name for `db.export` and `db.import`: paths relative to the working
/// directory that stay inside it (no `..`, no absolute path, no symbolic link leading out) and name no
/// hidden file or folder (`.aws`, `.ssh`, `.git` are where credentials and keys live). The sandbox gives
/// scripts no other file access; see the threat model in docs/architecture.md.
enum ScriptFilePath {
    /// `path` if a script may use it; otherwise an error naming `function` and the rule it breaks.
    static func checked(_ path: String, for function: String) throws -> String {
        func refuse(_ why: String) -> ScriptError {
            ScriptError(
                "\(function): '\(path)' \(why); scripts may only name files inside the working directory")
        }
        guard !path.isEmpty else { throw refuse("is empty") }
        // The commands' name for standard output, where a script's items would mix with its print().
        guard path != "-" else { throw refuse("names standard output") }
        guard !path.hasPrefix("/") else { throw refuse("is an absolute path") }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.contains("..") else { throw refuse("leaves the directory through '..'") }
        guard !components.contains(where: { $0.hasPrefix(".") && $0 != "." }) else {
            throw refuse("names a hidden file or folder")
        }
        // A symbolic link inside the working directory may still lead out of it: compare real paths.
        guard let root = realPath("."), let parent = realPath(parentDirectory(of: path)) else {
            throw refuse("is in a folder that does not exist")
        }
        var target = parent
        if let existing = realPath(path) { target = existing }
        guard target == root || target.hasPrefix(root == "/" ? "/" : root + "/") else {
            throw refuse("leads outside the working directory")
        }
        return path
    }

    private static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

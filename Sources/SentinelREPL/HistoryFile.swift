#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the REPL keeps its history between sessions: `$XDG_STATE_HOME/sentinel-tables/history`, or
/// `~/.local/state/sentinel-tables/history` (the XDG base directory default).
public enum HistoryFile {
    /// The path from `environment`, or nil when neither XDG_STATE_HOME nor HOME is set.
    public static func path(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/sentinel-tables/history"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return home + "/.local/state/sentinel-tables/history"
        }
        return nil
    }

    /// The path for this process's environment, with its directory created (nil when it cannot be).
    public static func prepared() -> String? {
        var environment: [String: String] = [:]
        for name in ["XDG_STATE_HOME", "HOME"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        guard let path = path(environment: environment) else { return nil }
        var directory = ""
        for component in path.split(separator: "/").dropLast() {
            directory += "/" + component
            if mkdir(directory, 0o700) != 0 && errno != EEXIST { return nil }
        }
        return path
    }
}

/// How a ``LuaState`` is set up.
public struct LuaConfiguration: Sendable {
    /// Whether the standard library is restricted (the default): no `dofile`, `loadfile`, binary
    /// chunks, `os.execute`, `io.popen`, `package.loadlib` or C modules; `os` keeps `time`, `clock`,
    /// `date` and `getenv`; `io` keeps `write` and `read`; `os.exit` raises an error. When false, every
    /// standard library is opened as `lua.c` opens it (for trusted embedding only).
    public var sandboxed: Bool
    /// Directories `require` searches (after the running script's own directory).
    public var modulePaths: [String]
    /// Memory, instruction and time limits for each run: ``LuaLimits/standard`` (256 MB) unless
    /// given; ``LuaLimits/none`` only when passed by name.
    public var limits: LuaLimits
    /// How long a run may go on after its time limit has passed, or after an interrupt, before the
    /// whole process ends (status 1 with the time limit's message, 130 after an interrupt). The limits
    /// stop scripts wherever Lua code or the host's functions run; this is the line behind them, for
    /// code they cannot reach. Nil (the default): no watchdog, since ending the process is the
    /// embedding program's decision. The command-line tool sets 5 seconds.
    public var watchdog: Duration?

    public init(
        sandboxed: Bool = true, modulePaths: [String] = [], limits: LuaLimits = .standard,
        watchdog: Duration? = nil
    ) {
        self.sandboxed = sandboxed
        self.modulePaths = modulePaths
        self.limits = limits
        self.watchdog = watchdog
    }

    /// `package.path` for a script in `scriptDirectory` (nil: no script).
    ///
    /// Built by appending rather than with `joined(separator:)`: every run pays for this, and the
    /// first call of the generic `joined` scans all of the binary's protocol conformances
    /// (docs/performance.md, start-up).
    func packagePath(scriptDirectory: String?) -> String {
        var path = ""
        for directory in (scriptDirectory.map { [$0] } ?? []) + modulePaths {
            let prefix = Self.modulePrefix(directory)
            if !path.isEmpty { path += ";" }
            path += prefix + "?.lua;" + prefix + "?/init.lua"
        }
        return path
    }

    /// How modules in `directory` are named (`@PREFIXname.lua`): the directory and a slash, or nothing
    /// for the working directory.
    static func modulePrefix(_ directory: String) -> String {
        directory.isEmpty || directory == "." ? "" : directory.hasSuffix("/") ? directory : directory + "/"
    }
}

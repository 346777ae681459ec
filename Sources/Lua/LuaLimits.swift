/// Limits on what one run of Lua code may use. A run is one top-level entry from Swift: a script, a
/// chunk, a REPL line, or a call of a Lua function; calls made while a run is active share its budget.
public struct LuaLimits: Sendable, Equatable {
    /// The most memory the state may hold, in bytes (nil: no limit).
    public var memoryBytes: Int?
    /// The most VM instructions one run may execute (nil: no limit). Checked every 1,000 instructions.
    public var instructions: Int?
    /// The most wall-clock time one run may take (nil: no limit).
    public var time: Duration?

    public init(memoryBytes: Int? = nil, instructions: Int? = nil, time: Duration? = nil) {
        self.memoryBytes = memoryBytes
        self.instructions = instructions
        self.time = time
    }

    /// No limits: only when asked for by name, for code you trust with the whole machine.
    public static let none = LuaLimits()

    /// What every state, host and fleet gets unless it is given other limits: 256 MB of memory, no
    /// instruction or time limit. The memory cap keeps one runaway script from taking a service's
    /// machine down with it, and is four times what the CLI's targets file gets (64 MB) since scripts
    /// hold items, not a list of targets. No time limit, as the CLI's `run` has none: a script that
    /// applies tables waits for DynamoDB as long as DynamoDB takes, and each AWS call is bounded on
    /// its own (docs/embedding.md, Defaults). Pass a time limit for work that must end.
    public static let standard = LuaLimits(memoryBytes: 256 << 20)

    var seconds: Double {
        guard let time else { return 0 }
        return Self.seconds(of: time)
    }

    static func seconds(of duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

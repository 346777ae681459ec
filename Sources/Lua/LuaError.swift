/// An error from loading or running Lua code, or from converting values across the bridge.
public struct LuaError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The chunk did not compile.
        case syntax
        /// The code raised an error.
        case runtime
        /// Lua ran out of memory: the state's memory limit, or the machine's.
        case memory
        /// The run passed its time limit.
        case timeLimit
        /// The run passed its instruction limit.
        case instructionLimit
        /// The run was interrupted (Ctrl-C or ``LuaInterruptHandle/interrupt()``).
        case interrupted
        /// A file could not be read.
        case file
        /// A value could not cross the bridge (a cycle, too deep, a reference from another state).
        case conversion
    }

    public let kind: Kind
    /// The message, starting with `file:line:` when Lua knows where the error happened.
    public let message: String
    /// Lua's stack traceback for runtime errors.
    public let traceback: String?

    public init(_ kind: Kind, _ message: String, traceback: String? = nil) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
    }

    /// Whether the error stopped the script by a limit or an interruption rather than by its own fault.
    public var isStop: Bool {
        kind == .timeLimit || kind == .instructionLimit || kind == .interrupted
    }

    public var description: String { message }
}

/// A bad argument to a host function, in Lua's words: `bad argument #1 to 'name' (table expected,
/// got nil)`.
public struct LuaArgumentError: Error, CustomStringConvertible, Sendable {
    public let position: Int
    public let function: String
    public let problem: String

    public init(position: Int, function: String, problem: String) {
        self.position = position
        self.function = function
        self.problem = problem
    }

    public var description: String {
        if position == 0 {
            return "calling '\(function)' on bad self (\(problem))"
        }
        return "bad argument #\(position) to '\(function)' (\(problem))"
    }
}

/// A host function's way to stop the script because its run must end (time or instruction limit,
/// interrupt): thrown by ``LuaState/stopIfRequested()``, raised in Lua at the caller's line with the
/// limit's own message.
public struct LuaStopError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

import ArgumentParser
import Lua

/// How a failed script is reported: the message (which starts with `file:line:` when Lua knows it),
/// then the traceback, on stderr; and the exit status.
enum ScriptFailure {
    static func report(_ error: LuaError, script: String) -> ExitCode {
        var message = error.message
        // Lua's own refusals have no location; a host allocation's is located at the caller's line.
        if error.kind == .memory,
            message.hasPrefix("memory limit of") || message.hasPrefix("not enough memory")
        {
            message = "\(script): \(message)"
        }
        StandardError.write(message + "\n")
        if let traceback = error.traceback, !traceback.isEmpty {
            StandardError.write(traceback + "\n")
        }
        return ExitCode(error.kind == .interrupted ? ExitStatus.interrupted : ExitStatus.scriptError)
    }
}

import ArgumentParser
import Lua

/// A first word that names no command (`sentinel-tables plna s.lua`): ArgumentParser reports it as
/// unexpected arguments without a hint, so the tool says which command was meant, as it does for a
/// misspelt Lua option.
enum UnknownCommand {
    /// The message for `arguments` (the whole command line), or nil when its first word is a command,
    /// an option or `help`.
    static func message(for arguments: [String], commands: [String]) -> String? {
        guard let word = arguments.dropFirst().first, !word.hasPrefix("-"), word != "help",
            !commands.contains(word)
        else { return nil }
        var text = "Error: unknown command '\(word)'"
        if let suggestion = LuaOptions.closestName(to: word, among: commands) {
            text += " (did you mean '\(suggestion)'?)"
        }
        return text + "\nCommands: \(commands.joined(separator: ", ")); see 'sentinel-tables --help'."
    }
}

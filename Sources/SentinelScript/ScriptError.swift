/// An error a host function raises in Lua: the trampoline prefixes its message with the script's
/// `file:line:`.
struct ScriptError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

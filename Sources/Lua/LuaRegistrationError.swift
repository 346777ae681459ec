/// Why ``LuaState/register(_:replacing:_:)`` or ``LuaState/registerModule(_:_:global:replacing:)``
/// refused a name. Registering is a host program's setup, so a mistake there fails loudly instead of
/// silently hiding a library every script relies on.
public struct LuaRegistrationError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The name is not a Lua identifier (empty, dotted where a global is made, a keyword, `_ENV`):
        /// scripts could not write it, or it would change what every name in a chunk means.
        case notAnIdentifier
        /// The name is already a global or a loaded module (a standard library, `sentinel`, or an
        /// earlier registration), and `replacing: true` was not passed.
        case alreadyDefined
    }

    /// The name as it was given.
    public let name: String
    public let reason: Reason

    public init(name: String, reason: Reason) {
        self.name = name
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .notAnIdentifier:
            "cannot register '\(name)': not a Lua identifier (letters, digits and '_', not starting with a "
                + "digit, not a keyword or _ENV)"
        case .alreadyDefined:
            "cannot register '\(name)': it would replace the '\(name)' already defined (a built-in library "
                + "or an earlier registration); pass replacing: true to replace it"
        }
    }
}

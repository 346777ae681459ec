/// Why a whole target stopped (as opposed to one of its tables): its credentials, its account, its
/// script, a refusal to confirm, or Ctrl-C. The other targets of the run go on.
public struct TargetFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// AWS could not be used: no credentials or region, an account not allowed, STS refusing.
        case aws
        /// The script failed or returned something that is not schemas.
        case script
        /// The change was not confirmed (a protected target without `--yes-protected`).
        case refused
        /// Ctrl-C, or a cancelled task, stopped it.
        case interrupted
    }

    public var kind: Kind
    /// What a user can act on (`the credentials belong to account ...`); never credentials.
    public var message: String
    /// For a script error: the Lua traceback.
    public var traceback: String?

    public init(_ kind: Kind, _ message: String, traceback: String? = nil) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
    }

    public var description: String { message }
}

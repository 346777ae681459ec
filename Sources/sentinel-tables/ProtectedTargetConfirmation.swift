import SentinelScript

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A target with `protect = true` is changed only when its name is typed at a prompt, even with
/// `--yes`, unless `--yes-protected` is given; without a terminal it is not changed.
enum ProtectedTargetConfirmation {
    /// Nil when `target` may be changed; otherwise why it is not (the target's failure).
    static func refusal(_ target: Target, command: String) -> TargetFailure? {
        guard isatty(0) != 0 else {
            return TargetFailure(
                .refused,
                "target '\(target.name)' is protected and there is no terminal to confirm it: run \(command) "
                    + "with --yes-protected; nothing was changed there")
        }
        StandardError.write(
            "Target '\(target.name)' is protected. Type its name to go on with \(command) there: ")
        guard let answer = readLine(), answer.trimmingWhitespace == target.name else {
            StandardError.write("Not confirmed; nothing is changed on '\(target.name)'.\n")
            return TargetFailure(
                .refused,
                "target '\(target.name)' is protected and was not confirmed; nothing was changed there")
        }
        return nil
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

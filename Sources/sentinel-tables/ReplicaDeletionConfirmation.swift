import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Deleting a replica deletes every item in that region, so apply asks again for each one, by the
/// region's name, even after the plan was confirmed with `yes` or `--yes`; `--yes-delete-replicas`
/// answers for the user. Without a terminal and without the flag, the deletion is not made.
enum ReplicaDeletionConfirmation {
    /// One question at a time: tables are applied concurrently.
    private static let prompt = Mutex(())

    static func confirmer(always: Bool) -> @Sendable (_ table: String, _ region: String) async -> Bool {
        { table, region in
            if always { return true }
            guard isatty(0) != 0 else {
                StandardError.write(
                    "Not deleting the replica of '\(table)' in \(region): there is no terminal to confirm it "
                        + "(run apply with --yes-delete-replicas).\n")
                return false
            }
            return prompt.withLock { _ in
                if Task.isCancelled { return false }
                StandardError.write(
                    "Apply deletes the replica of '\(table)' in \(region) and every item in it. "
                        + "Type the region's name to go on: ")
                guard let answer = answerUnlessCancelled() else {
                    StandardError.write("\nInterrupted; the replica in \(region) is kept.\n")
                    return false
                }
                let confirmed = answer.filter { !$0.isWhitespace } == region
                if !confirmed { StandardError.write("Not confirmed; the replica in \(region) is kept.\n") }
                return confirmed
            }
        }
    }

    /// A line from standard input, or nil when the apply is interrupted (Ctrl-C cancels its task) before
    /// one is typed: the terminal is polled rather than read, so the question does not hold the
    /// interrupt until Enter. End of input is an empty answer.
    private static func answerUnlessCancelled() -> String? {
        var terminal = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        while !Task.isCancelled {
            let ready = poll(&terminal, 1, 100)
            if ready > 0 { return readLine() ?? "" }
            // A signal (Ctrl-C itself) ends a wait early; any other failure would fail every wait at once.
            if ready < 0 && errno != EINTR { return "" }
        }
        return nil
    }
}

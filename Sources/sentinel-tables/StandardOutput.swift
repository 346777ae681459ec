#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes to file descriptor 1 directly, a whole line at once: `watch` lines must reach a pipe as
/// they happen, not when a buffer fills.
enum StandardOutput {
    /// Whether the output is a terminal (colour and highlighting are for people, not for pipes).
    static let isTerminal = isatty(STDOUT_FILENO) == 1

    /// Writes `text`; false once the reader has gone (a closed pipe).
    @discardableResult
    static func write(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(1, base + offset, buffer.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes the REPL's output. Lua's `print` and `io.write` go through C's buffered `stdout`, so that
/// buffer is flushed first to keep everything in order.
enum ConsoleOutput {
    static func write(_ bytes: [UInt8], to descriptor: Int32 = 1) {
        fflush(nil)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    static func write(_ text: String, to descriptor: Int32 = 1) {
        write(Array(text.utf8), to: descriptor)
    }
}

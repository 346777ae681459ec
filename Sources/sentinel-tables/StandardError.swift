#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes to file descriptor 2 directly: unbuffered, and free of the global `stderr` FILE pointer that
/// Swift 6 treats as shared mutable state.
enum StandardError {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { write($0) }
    }

    /// Bytes as they are (a script's `print` need not be UTF-8).
    static func write(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { write($0) }
    }

    private static func write(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(2, base + offset, buffer.count - offset)
            if written <= 0 {
                if written < 0 && errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

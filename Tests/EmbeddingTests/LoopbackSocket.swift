#if canImport(Glibc)
    import Glibc
#endif

/// The few socket calls the loopback servers of these tests need: a listener on a free port of
/// 127.0.0.1, a connection to one, and whole reads and writes.
enum LoopbackSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func address(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// A listening socket on 127.0.0.1 and the port the system chose for it (port 0 asked).
    static func listen() throws -> (socket: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = Self.address(port: 0)
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else {
            close(fd)
            throw Failure(description: "bind or listen: errno \(errno)")
        }
        var chosen = sockaddr_in()
        var chosenLength = length
        _ = withUnsafeMutablePointer(to: &chosen) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &chosenLength) }
        }
        return (fd, UInt16(bigEndian: chosen.sin_port))
    }

    /// A connection to 127.0.0.1:`port`.
    static func connect(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = Self.address(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "connect to port \(port): errno \(errno)")
        }
        return fd
    }

    /// The next connection to `listener`; nil once the listener is shut down.
    static func accept(_ listener: Int32) -> Int32? {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            if fd >= 0 { return fd }
            // A connection the client gave up on before it was accepted is no reason to stop.
            if errno != EINTR, errno != ECONNABORTED { return nil }
        }
    }

    /// Up to `count` bytes; empty at the end of the stream or on an error.
    static func read(_ fd: Int32, upTo count: Int = 65_536) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, count) }
            if got >= 0 { return Array(buffer.prefix(got)) }
            if errno != EINTR { return [] }
        }
    }

    static func write(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    /// One HTTP/1.1 request, read whole: the head up to its blank line, then `Content-Length` bytes.
    static func readRequest(_ fd: Int32) -> [UInt8]? {
        var request: [UInt8] = []
        let blankLine: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let end = request.firstRange(of: blankLine) {
                let head = String(decoding: request[..<end.lowerBound], as: UTF8.self).lowercased()
                let length =
                    head.split(separator: "\r\n")
                    .first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingPrefix(" ")) } ?? 0
                if request.count >= end.upperBound + length { return request }
            }
            let more = read(fd)
            if more.isEmpty { return nil }
            request += more
        }
    }
}

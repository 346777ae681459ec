import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A proxy in front of the local DynamoDB server that holds every request until it is released:
/// a test sees a call reach it (``waitForRequests(_:)``), does what must happen while the call is
/// under way, then lets it through (``release()``) and sees how it ends. Once released, requests
/// go straight through.
final class HeldProxy: Sendable {
    let port: UInt16
    private let listener: Int32
    private let upstream: UInt16
    private let state = Mutex<(received: Int, released: Bool)>((0, false))

    /// `endpoint`: the server's URL, `http://127.0.0.1:PORT`.
    init(endpoint: String) throws {
        guard let port = endpoint.split(separator: ":").last.flatMap({ UInt16($0) }) else {
            throw LoopbackSocket.Failure(description: "no port in \(endpoint)")
        }
        upstream = port
        (listener, self.port) = try LoopbackSocket.listen()
        Thread.detachNewThread { [self] in
            while let socket = LoopbackSocket.accept(listener) {
                Thread.detachNewThread { self.serve(socket) }
            }
            // Closed once accept() is done with it (see BlackHole).
            Glibc.close(listener)
        }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Returns once at least `count` requests arrived (and are held, unless released).
    func waitForRequests(_ count: Int) async {
        while state.withLock({ $0.received }) < count { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// Lets every held request, and every later one, through.
    func release() {
        state.withLock { $0.released = true }
    }

    func close() {
        release()
        // Wakes the accept() blocked on the listener, whose thread then closes it.
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
    }

    /// One connection: each request is held, then sent to the server, and its answer sent back
    /// (the server closes its connection after each answer, so the answer is read to its end).
    private func serve(_ socket: Int32) {
        defer { Glibc.close(socket) }
        while let request = LoopbackSocket.readRequest(socket) {
            state.withLock { $0.received += 1 }
            while !state.withLock({ $0.released }) { usleep(10_000) }
            guard let server = try? LoopbackSocket.connect(port: upstream) else { return }
            defer { Glibc.close(server) }
            LoopbackSocket.write(server, request)
            var answered = false
            while true {
                let answer = LoopbackSocket.read(server)
                if answer.isEmpty { break }
                LoopbackSocket.write(socket, answer)
                answered = true
            }
            // The server's answer said `Connection: close`, so the client opens a new connection.
            if answered { return }
        }
    }
}

import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An endpoint that accepts connections and never answers: the team's probe of what a fleet or a
/// host does while a request waits on AWS. A request sent here waits for its read timeout (60 s per
/// attempt), so whatever ends it sooner is what a test is showing.
final class BlackHole: Sendable {
    let port: UInt16
    private let listener: Int32
    /// Every connection accepted, kept open (never read, never answered) until ``close()``.
    private let accepted = Mutex<(sockets: [Int32], closed: Bool)>(([], false))

    init() throws {
        (listener, port) = try LoopbackSocket.listen()
        Thread.detachNewThread { [self] in
            while let socket = LoopbackSocket.accept(listener) {
                let keep = accepted.withLock { accepted -> Bool in
                    guard !accepted.closed else { return false }
                    accepted.sockets.append(socket)
                    return true
                }
                if !keep { Glibc.close(socket) }
            }
            // Closed here, once accept() is done with it, so that no later socket reuses its number
            // while this thread could still pass it to accept().
            Glibc.close(listener)
        }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// How many connections were made to it so far.
    var connections: Int { accepted.withLock { $0.sockets.count } }

    /// Returns once at least `count` connections were made: a request is then waiting here.
    func waitForConnections(_ count: Int) async {
        while connections < count { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// Stops listening and drops every connection.
    func close() {
        // shutdown() wakes the accept() blocked on the listener, which then ends its thread.
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        let sockets = accepted.withLock { accepted in
            accepted.closed = true
            defer { accepted.sockets = [] }
            return accepted.sockets
        }
        for socket in sockets { Glibc.close(socket) }
    }
}

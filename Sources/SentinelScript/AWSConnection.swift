import Dispatch
import DynamoDB
import Provisioning
import Synchronization

/// The DynamoDB client of a script host, made on first use from the host's options (so a script that
/// never calls AWS never resolves credentials or region), shared by every function, and shut down once.
///
/// Everything that reaches AWS through it holds it (a host's script functions, its ``TableOperations``,
/// a fleet member and the hosts it makes for its scripts), so it lives as long as any of them is used;
/// when the last is gone its client shuts itself down. ``shutdown()`` closes it for all of them at once.
public final class AWSConnection: Sendable {
    public let options: DynamoDBConfiguration.Options
    private let state = Mutex<State>(State())

    private struct State {
        var client: DynamoDBClient?
        var isShutDown = false
    }

    public init(options: DynamoDBConfiguration.Options = .init()) {
        self.options = options
    }

    /// The client, made now if it was not yet; fails with the client's message when the region or the
    /// configuration files are wrong.
    public func client() throws(DynamoDBError) -> DynamoDBClient {
        try state.withLock { (state) throws(DynamoDBError) -> DynamoDBClient in
            if let client = state.client { return client }
            if state.isShutDown { throw DynamoDBClient.shutDownError }
            let client = DynamoDBClient(configuration: try DynamoDBConfiguration.resolve(options))
            state.client = client
            return client
        }
    }

    /// Closes the client, if one was made, for everyone who holds this connection: a request under way
    /// ends, and every later one fails with ``DynamoDBClient/shutDownError``.
    public func shutdown() async {
        let client = state.withLock { state -> DynamoDBClient? in
            state.isShutDown = true
            defer { state.client = nil }
            return state.client
        }
        try? await client?.shutdown()
    }

    /// Shuts down from synchronous code (the CLI's commands), waiting for it to finish.
    public func shutdownAndWait() {
        // Shut down whether or not a client was made, as shutdown() leaves it: no client afterwards.
        let made = state.withLock { state -> Bool in
            state.isShutDown = true
            return state.client != nil
        }
        // Nothing to close when no client was made; and not starting a task keeps Swift's thread pool
        // from starting at all, which is most of what a script that never called AWS would pay on exit.
        guard made else { return }
        let done = DispatchSemaphore(value: 0)
        Task.detached { [self] in
            await shutdown()
            done.signal()
        }
        done.wait()
    }
}

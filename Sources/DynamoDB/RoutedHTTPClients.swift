import AWS
import AsyncHTTPClient
import Synchronization

/// The HTTP clients of one ``DynamoDBClient``, one per proxy choice. The client's requests do not all
/// go to one host: Streams has its own endpoint, a global table's replica is in another region's, and
/// the account's endpoint is another host again; `NO_PROXY` may name some of them and not others. So the
/// proxy is chosen for each request's host, and each choice gets its own pooled client, made when first
/// needed and shut down with the rest.
final class RoutedHTTPClients: Sendable {
    private let network: NetworkSettings
    private let base: HTTPClient.Configuration
    /// The clients by proxy (nil: direct), and whether they were shut down (no new one is made then).
    private let state: Mutex<(clients: [ProxyURL?: HTTPClient], closed: Bool)>

    /// `base` is every client's configuration but the proxy; the first client is made now, for
    /// `endpoint` (the configured one, where nearly every request goes).
    init(network: NetworkSettings, base: HTTPClient.Configuration, endpoint: Endpoint) {
        self.network = network
        self.base = base
        let proxy = network.proxies.proxy(for: endpoint)
        state = Mutex(([proxy: Self.make(base, network, endpoint)], false))
    }

    /// The client for requests to `endpoint`; nil once shut down.
    func client(for endpoint: Endpoint) -> HTTPClient? {
        let proxy = network.proxies.proxy(for: endpoint)
        return state.withLock { state in
            if let client = state.clients[proxy] { return client }
            guard !state.closed else { return nil }
            let client = Self.make(base, network, endpoint)
            state.clients[proxy] = client
            return client
        }
    }

    /// Shuts every client down; none is made afterwards.
    func shutdown() async throws {
        let clients = state.withLock { state in
            state.closed = true
            return Array(state.clients.values)
        }
        for client in clients { try await client.shutdown() }
    }

    /// Shuts every client down without waiting (nobody holds the owner any more).
    func shutdownInBackground() {
        let clients = state.withLock { state in
            state.closed = true
            return Array(state.clients.values)
        }
        for client in clients { client.shutdown { _ in } }
    }

    private static func make(
        _ base: HTTPClient.Configuration, _ network: NetworkSettings, _ endpoint: Endpoint
    )
        -> HTTPClient
    {
        var configuration = base
        network.configure(&configuration, for: endpoint)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}

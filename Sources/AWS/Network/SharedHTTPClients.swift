import AsyncHTTPClient
import Synchronization

/// The process-wide HTTP clients of ``NetworkSettings/sharedClient(for:)``, one per proxy and CA
/// bundle: made on first use and never shut down (a client is cheap while idle, and credentials may
/// be refreshed through it at any time until the process ends).
enum SharedHTTPClients {
    private struct Key: Hashable {
        var proxy: ProxyURL?
        var caBundle: CABundle?
    }

    private static let clients = Mutex<[Key: HTTPClient]>([:])

    static func client(
        proxy: ProxyURL?, caBundle: CABundle?, configuration: () -> HTTPClient.Configuration
    ) -> HTTPClient {
        clients.withLock { clients in
            let key = Key(proxy: proxy, caBundle: caBundle)
            if let client = clients[key] { return client }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration())
            clients[key] = client
            return client
        }
    }
}

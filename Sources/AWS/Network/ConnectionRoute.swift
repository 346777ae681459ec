/// How one request travels, for the messages of its failures: the host it is for, the proxy it goes
/// through (if any) and the CA bundle trusted beside the system's (if any).
public struct ConnectionRoute: Sendable, Equatable {
    /// The endpoint's host.
    public var host: String
    /// The proxy, `nil` for a direct connection.
    public var proxy: ProxyURL?
    /// The CA bundle's path, when one is set.
    public var caBundlePath: String?

    public init(host: String, proxy: ProxyURL? = nil, caBundlePath: String? = nil) {
        self.host = host
        self.proxy = proxy
        self.caBundlePath = caBundlePath
    }
}

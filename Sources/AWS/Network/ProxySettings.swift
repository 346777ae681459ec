import DynamoDBModel

/// The proxies the environment sets: `HTTPS_PROXY` for `https://` endpoints, `HTTP_PROXY` for
/// `http://` ones, `NO_PROXY` for the hosts that go direct.
///
/// Each is read lower case first (`https_proxy`), as curl and Python read them: when both spellings are
/// set the lower-case one wins, even when it is empty (an empty value turns the proxy off).
public struct ProxySettings: Sendable, Hashable {
    /// The proxy for `https://` endpoints.
    public var https: ProxyURL?
    /// The proxy for `http://` endpoints.
    public var http: ProxyURL?
    /// The hosts reached directly.
    public var noProxy: NoProxyList

    /// No proxy at all.
    public static let none = ProxySettings(https: nil, http: nil, noProxy: NoProxyList(""))

    public init(https: ProxyURL?, http: ProxyURL?, noProxy: NoProxyList) {
        self.https = https
        self.http = http
        self.noProxy = noProxy
    }

    /// The settings in `environment`; a malformed proxy URL is an error naming its variable (never its
    /// value, which may hold a password).
    public init(environment: [String: String]) throws(DynamoDBError) {
        func value(_ name: String) -> (variable: String, value: String)? {
            let lower = name.lowercased()
            if let value = environment[lower] { return (lower, value) }
            return environment[name].map { (name, $0) }
        }
        func proxy(_ name: String) throws(DynamoDBError) -> ProxyURL? {
            guard let (variable, text) = value(name), !text.trimmingWhitespace().isEmpty else { return nil }
            return try ProxyURL(parsing: text, variable: variable)
        }
        https = try proxy("HTTPS_PROXY")
        http = try proxy("HTTP_PROXY")
        noProxy = NoProxyList(value("NO_PROXY")?.value ?? "")
    }

    /// The proxy a request to `endpoint` goes through, `nil` when it goes direct.
    public func proxy(for endpoint: Endpoint) -> ProxyURL? {
        guard let proxy = endpoint.scheme == "https" ? https : http else { return nil }
        let port = endpoint.port ?? (endpoint.scheme == "https" ? 443 : 80)
        return noProxy.bypasses(host: endpoint.host, port: port) ? nil : proxy
    }
}

/// Where requests go: `https://dynamodb.us-east-1.amazonaws.com` or a local server's URL.
public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// The host name or address.
    public var host: String
    /// The port when the URL names one.
    public var port: Int?
    /// The path, `/` unless the URL has one.
    public var path: String

    /// Parses `http(s)://host[:port][/path]`; `nil` for anything else.
    public init?(url: String) {
        let lowered = url.lowercased()
        if lowered.hasPrefix("https://") {
            scheme = "https"
        } else if lowered.hasPrefix("http://") {
            scheme = "http"
        } else {
            return nil
        }
        let rest = url.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let pathPart = rest.dropFirst(authority.count).prefix { $0 != "?" && $0 != "#" }
        path = pathPart.isEmpty ? "/" : String(pathPart)
        if authority.hasPrefix("[") {  // IPv6 literal
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[...close])
            let after = authority[authority.index(after: close)...]
            if after.isEmpty {
                port = nil
            } else {
                guard after.first == ":", let number = Int(after.dropFirst()) else { return nil }
                port = number
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = number
        } else {
            host = String(authority)
            port = nil
        }
        guard !host.isEmpty, !host.contains("@"), port.map({ (1...65_535).contains($0) }) ?? true else {
            return nil
        }
    }

    /// The region's DynamoDB endpoint in its partition (`amazonaws.com.cn` for China regions, and so
    /// on): ``ServiceEndpointResolver`` without FIPS or dual-stack.
    public static func dynamoDB(region: String) -> Endpoint {
        Endpoint(https: "dynamodb.\(region).\(AWSPartition.of(region: region).dnsSuffix)")
    }

    /// The region's DynamoDB Streams endpoint in its partition, as ``dynamoDB(region:)``.
    public static func dynamoDBStreams(region: String) -> Endpoint {
        Endpoint(https: "streams.dynamodb.\(region).\(AWSPartition.of(region: region).dnsSuffix)")
    }

    /// An `https` endpoint at `host`. Built from its parts, not parsed: a region with a ':' or '/' in
    /// it must not make a URL that fails to parse (the configuration rejects such regions with a
    /// message first).
    init(https host: String) {
        self.init(scheme: "https", host: host, port: nil, path: "/")
    }

    private init(scheme: String, host: String, port: Int?, path: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

    /// The `Host` header: the host, with the port when it is not the scheme's default.
    public var hostHeader: String {
        guard let port, port != (scheme == "https" ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    /// The URL.
    public var description: String {
        "\(scheme)://\(hostHeader)\(path == "/" ? "" : path)"
    }

    /// Whether the host is this machine (`localhost`, `127.x.x.x`, `[::1]`): a local server, where a
    /// refused connection means nothing is listening, not a transient fault worth retrying.
    public var isLoopback: Bool {
        let name = host.lowercased()
        return name == "localhost" || name.hasSuffix(".localhost") || name.hasPrefix("127.")
            || name == "[::1]"
    }

    /// The URL requests are sent to.
    package var url: String { "\(scheme)://\(hostHeader)\(path)" }
}

import AsyncHTTPClient
import DynamoDBModel
import NIOSSL

/// How the tool reaches AWS from the network it runs in: the proxies (``ProxySettings``) and a private
/// CA trusted beside the system's (``CABundle``). Every client that talks to an AWS service (DynamoDB,
/// STS, IAM Identity Center) is configured from one of these; the container and instance metadata
/// clients never are (their addresses are on the host's own link, never behind a proxy).
public struct NetworkSettings: Sendable, Hashable {
    /// The proxies.
    public var proxies: ProxySettings
    /// The private CA, if one is set.
    public var caBundle: CABundle?

    /// Direct connections, the system's CAs only.
    public static let direct = NetworkSettings(proxies: .none, caBundle: nil)

    public init(proxies: ProxySettings, caBundle: CABundle?) {
        self.proxies = proxies
        self.caBundle = caBundle
    }

    /// The settings of the environment and the profile: the proxy variables, and `AWS_CA_BUNDLE` before
    /// the profile's `ca_bundle` (as botocore orders them).
    public static func resolve(
        environment: [String: String], profile: SharedConfigFiles.Profile?, fileSystem: some FileSystem
    ) throws(DynamoDBError) -> NetworkSettings {
        let proxies = try ProxySettings(environment: environment)
        var caBundle: CABundle?
        let given: (path: String, source: String)? =
            if let path = environment["AWS_CA_BUNDLE"], !path.trimmingWhitespace().isEmpty {
                (path, "AWS_CA_BUNDLE")
            } else if let profile, let path = profile["ca_bundle"], !path.isEmpty {
                (path, "ca_bundle in profile '\(profile.name)'")
            } else {
                nil
            }
        if let (path, source) = given {
            let home = environment["HOME"] ?? "~"
            let expanded = path.hasPrefix("~/") ? home + path.dropFirst() : path
            caBundle = try CABundle(path: expanded, source: source, fileSystem: fileSystem)
        }
        return NetworkSettings(proxies: proxies, caBundle: caBundle)
    }

    /// How a request to `endpoint` travels: through which proxy, trusting which CA bundle.
    public func route(to endpoint: Endpoint) -> ConnectionRoute {
        ConnectionRoute(
            host: endpoint.host, proxy: proxies.proxy(for: endpoint), caBundlePath: caBundle?.path)
    }

    /// `configuration` set up for requests to `endpoint`: its proxy, and the CA bundle's certificates
    /// added to the system's trust roots.
    public func configure(_ configuration: inout HTTPClient.Configuration, for endpoint: Endpoint) {
        configuration.proxy = proxies.proxy(for: endpoint)?.clientProxy
        if let caBundle {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.certificates(caBundle.certificates)]
            configuration.tlsConfiguration = tls
        }
    }

    /// A client for small requests to `endpoint` (STS, IAM Identity Center), shared by every caller
    /// with the same proxy and CA bundle and living as long as the process (like
    /// ``MetadataRequest/client``): credentials are refreshed from it long after any one command's
    /// client was made. It never follows a redirect.
    public func sharedClient(for endpoint: Endpoint) -> HTTPClient {
        let proxy = proxies.proxy(for: endpoint)
        guard proxy != nil || caBundle != nil else { return MetadataRequest.client }
        return SharedHTTPClients.client(proxy: proxy, caBundle: caBundle) {
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
            configure(&configuration, for: endpoint)
            return configuration
        }
    }

    /// `whoami --verbose`'s lines: the proxy for each scheme and what bypasses it, and the CA bundle.
    public var descriptionLines: [(name: String, value: String)] {
        var lines: [(name: String, value: String)] = [
            ("https proxy", proxies.https?.detailedDescription ?? "none"),
            ("http proxy", proxies.http?.detailedDescription ?? "none"),
        ]
        if !proxies.noProxy.isEmpty, proxies.https != nil || proxies.http != nil {
            lines.append(("no proxy", proxies.noProxy.description))
        }
        lines.append(("ca bundle", caBundle.map { "\($0.path) (\($0.source))" } ?? "none (the system's CAs)"))
        return lines
    }
}

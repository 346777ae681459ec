import AsyncHTTPClient
import DynamoDBModel
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sorts what the HTTP stack threw into the kinds a user can act on: nothing listening, a host name
/// that does not resolve, a failed TLS handshake, a timeout, anything else. The stack's own texts
/// ("connection reset (error set): Connection refused (errno: 111)") are kept out of messages.
package enum TransportErrorKind {
    /// The kind and the detail of `error`; `timeout` is the limit that applied, for the message, and
    /// `route` how the request travelled (a proxy's failures are the proxy's, named as such; an
    /// untrusted certificate says how to trust it).
    package static func classify(
        _ error: any Error, timeout: Duration, route: ConnectionRoute? = nil
    ) -> (TransportFailure.Kind, String) {
        let (kind, reason) = directKind(error, timeout: timeout)
        if let proxy = route?.proxy {
            if let httpError = error as? HTTPClientError {
                let target = route?.host ?? "the endpoint"
                if httpError == .proxyAuthenticationRequired {
                    return (
                        .proxy,
                        "the proxy \(proxy) (\(proxy.variable)) refused the tunnel to \(target): it requires "
                            + "authentication (HTTP 407); check the user and password in \(proxy.variable)"
                    )
                }
                if httpError == .invalidProxyResponse {
                    return (
                        .proxy,
                        "the proxy \(proxy) (\(proxy.variable)) refused the tunnel to \(target) (it answered "
                            + "CONNECT with an error: is \(target) allowed through it, or should NO_PROXY name it?)"
                    )
                }
            }
            // The only connection made is the proxy's: failing to connect is failing to reach it.
            if [.connectionRefused, .hostNotFound].contains(kind) || Self.isConnectFailure(error) {
                return (
                    .proxy,
                    "cannot reach the proxy \(proxy) (\(proxy.variable)): "
                        + (kind == .hostNotFound ? "its host name does not resolve" : reason)
                )
            }
        }
        if kind == .tls, reason == "certificate verify failed", let route {
            let trusted =
                route.caBundlePath.map { "the system's CAs or the CA bundle \($0)" } ?? "the system's CAs"
            return (
                .tls,
                "the certificate for \(route.host) is not trusted by \(trusted); set AWS_CA_BUNDLE (or "
                    + "ca_bundle in the profile) to a PEM file of the CA that issued it"
            )
        }
        return (kind, reason)
    }

    /// Whether `error` is a failure to open a TCP connection (not a failure after it was open).
    private static func isConnectFailure(_ error: any Error) -> Bool {
        if error is NIOConnectionError { return true }
        if let httpError = error as? HTTPClientError { return httpError == .connectTimeout }
        return false
    }

    /// The kind and detail of `error` as a direct connection's.
    private static func directKind(_ error: any Error, timeout: Duration) -> (TransportFailure.Kind, String) {
        if error is CancellationError { return (.cancelled, "cancelled") }
        if let httpError = error as? HTTPClientError {
            switch httpError {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .tlsHandshakeTimeout:
                return (.timeout, seconds(timeout))
            case .remoteConnectionClosed:
                return (.connection, "the server closed the connection before answering")
            case .cancelled:
                return (.cancelled, "cancelled")
            default:
                return (.connection, "\(httpError)")
            }
        }
        if let connectionError = error as? NIOConnectionError {
            if connectionError.dnsAError != nil || connectionError.dnsAAAAError != nil,
                connectionError.connectionErrors.isEmpty
            {
                return (.hostNotFound, connectionError.host)
            }
            if let first = connectionError.connectionErrors.first?.error {
                return directKind(first, timeout: timeout)
            }
        }
        if error is SocketAddressError { return (.hostNotFound, "\(error)") }
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case ECONNREFUSED: return (.connectionRefused, "connection refused")
            case ETIMEDOUT: return (.timeout, seconds(timeout))
            default: return (.connection, String(cString: strerror(ioError.errnoCode)))
            }
        }
        // NIOSSL's errors (NIOSSLError, BoringSSLError, ...) are matched by module so that this
        // target does not depend on NIOSSL for a message.
        if String(reflecting: type(of: error)).hasPrefix("NIOSSL.") {
            return (.tls, tlsReason("\(error)"))
        }
        return (.connection, "\(error)")
    }

    /// BoringSSL's reason (`certificate verify failed`) out of NIOSSL's description, which also holds
    /// error numbers and a source path; the whole description when it has none.
    static func tlsReason(_ description: String) -> String {
        guard let marker = description.firstRange(of: "OPENSSL_internal:") else { return description }
        let code = description[marker.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard !code.isEmpty else { return description }
        let reason = code.lowercased().split(separator: "_").joined(separator: " ")
        if code == "WRONG_VERSION_NUMBER" { return reason + " (the server does not speak TLS: http:// ?)" }
        return reason
    }

    /// `2 s`, `0.5 s`.
    static func seconds(_ duration: Duration) -> String {
        let (whole, fraction) = duration.components
        if fraction == 0 { return "\(whole) s" }
        let value = Double(whole) + Double(fraction) / 1e18
        return "\((value * 1000).rounded() / 1000) s"
    }
}

import AsyncHTTPClient
import DynamoDBModel

/// A forward proxy from `HTTPS_PROXY` or `HTTP_PROXY`: `http://[user[:password]@]host[:port]`.
///
/// The user and password are kept only to answer the proxy's `Proxy-Authorization`: ``description``
/// leaves them out, and so does every error about the setting (a password in an environment variable
/// must never reach a log or a terminal, `--verbose` included).
public struct ProxyURL: Sendable, Hashable, CustomStringConvertible {
    /// The proxy's host name or address (an IPv6 address without its brackets).
    public var host: String
    /// Its port: the URL's, else 80 (the port `http://` means, as botocore and curl's `http://` take it).
    public var port: Int
    /// The user and password for `Proxy-Authorization: Basic`, percent-decoded.
    var credentials: (user: String, password: String)?
    /// The variable it came from, `HTTPS_PROXY`, for messages and `whoami --verbose`.
    public var variable: String

    /// Parses the value of `variable`. A value without a scheme (`proxy.corp:3128`) is an HTTP proxy,
    /// as curl and botocore read it. Only `http://` proxies are spoken to: TLS to the proxy itself
    /// (`https://`) and SOCKS are refused with a message, never silently ignored (a request that
    /// ignored the proxy would leave the network the proxy guards).
    public init(parsing value: String, variable: String) throws(DynamoDBError) {
        self.variable = variable
        var rest = Substring(value.trimmingWhitespace())
        if let schemeEnd = rest.firstRange(of: "://") {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" else {
                throw .configuration(
                    "\(variable): a \(scheme.prefix(10)):// proxy is not supported; give an http:// proxy "
                        + "(requests to https endpoints still go through it encrypted, with CONNECT)")
            }
            rest = rest[schemeEnd.upperBound...]
        }
        // The authority ends at the path; a trailing `/` is common (`http://proxy:3128/`).
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            let user = userInfo.prefix { $0 != ":" }
            let password = userInfo.dropFirst(user.count + 1)
            guard let user = Self.percentDecoded(user), let password = Self.percentDecoded(password) else {
                throw .configuration(
                    "\(variable): the user or password in the proxy URL has a malformed %-escape")
            }
            credentials = (user, password)
        }
        let hostPart: Substring
        let portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw .configuration("\(variable): the proxy's IPv6 address has no closing ']'")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            portPart = after.isEmpty ? nil : after.dropFirst()
            if !after.isEmpty, after.first != ":" {
                throw .configuration("\(variable): unexpected text after the proxy's IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
            portPart = nil
        }
        guard !hostPart.isEmpty else {
            throw .configuration("\(variable): the proxy URL names no host (expected http://HOST:PORT)")
        }
        host = String(hostPart)
        if let portPart {
            // At most five digits before converting: a long run of digits is a typo, not a number to trap on.
            guard (1...5).contains(portPart.utf8.count),
                portPart.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let number = Int(portPart), (1...65_535).contains(number)
            else {
                throw .configuration(
                    "\(variable): the proxy's port is not a number from 1 to 65535 (host \(host))")
            }
            port = number
        } else {
            port = 80
        }
    }

    /// `http://host:port`, never the user or password.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(shownHost):\(port)"
    }

    /// ``description`` with where it came from and whether it authenticates, for `whoami --verbose`:
    /// `http://proxy.corp:3128 (HTTPS_PROXY, with a user and password)`.
    public var detailedDescription: String {
        "\(description) (\(variable)\(credentials == nil ? "" : ", with a user and password"))"
    }

    /// The proxy as AsyncHTTPClient takes it: every request through it, `http://` ones included, goes
    /// through a CONNECT tunnel, with `Proxy-Authorization: Basic` when the URL has a user.
    var clientProxy: HTTPClient.Configuration.Proxy {
        .server(
            host: host, port: port,
            authorization: credentials.map { .basic(username: $0.user, password: $0.password) })
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.host == rhs.host && lhs.port == rhs.port && lhs.variable == rhs.variable
            && lhs.credentials?.user == rhs.credentials?.user
            && lhs.credentials?.password == rhs.credentials?.password
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(host)
        hasher.combine(port)
        hasher.combine(credentials?.user)
        hasher.combine(credentials?.password)
    }

    /// `%XX` escapes decoded (a password may hold `@` or `:` written as `%40`, `%3A`); `nil` for a
    /// malformed escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(HexDigit.value),
                let low = iterator.next().flatMap(HexDigit.value)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

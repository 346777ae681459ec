/// `NO_PROXY`: the hosts requests reach directly even when a proxy is set.
///
/// A comma-separated list (spaces around entries ignored, case ignored), as curl, botocore and the
/// other SDKs read it:
/// - `*` alone: every host;
/// - a name, `example.com` or `.example.com` (or `*.example.com`): that host and every host below it
///   (`api.example.com`), never a longer name that merely ends the same (`badexample.com`);
/// - an IP address, `10.1.2.3` or `::1` (`[::1]` too): that address written as a host;
/// - a CIDR range, `10.0.0.0/8` or `fd00::/8`: every address in it written as a host;
/// - any of these with `:PORT`: only requests to that port.
/// Names are not resolved to addresses: an address entry only matches a URL that names the address.
public struct NoProxyList: Sendable, Hashable, CustomStringConvertible {
    enum Rule: Sendable, Hashable {
        case everything
        case domain(String, port: Int?)
        case address([UInt8], port: Int?)
        case range([UInt8], prefixLength: Int)
    }

    var rules: [Rule]
    /// The entries as given, for `whoami --verbose`.
    public let description: String

    /// The list in `value`; malformed entries (an empty one, `10.0.0.0/99`) are skipped, as curl does:
    /// the entries around them still apply.
    public init(_ value: String) {
        let entries = value.split(separator: ",").map { String($0).trimmingWhitespace() }.filter {
            !$0.isEmpty
        }
        rules = entries.compactMap { Self.rule(Substring($0)) }
        description = entries.joined(separator: ",")
    }

    /// Whether a request to `host` (as the URL writes it; IPv6 with or without brackets) on `port`
    /// goes direct.
    public func bypasses(host: String, port: Int) -> Bool {
        var name = Substring(host.lowercased())
        if name.hasPrefix("["), name.hasSuffix("]") { name = name.dropFirst().dropLast() }
        while name.hasSuffix(".") { name = name.dropLast() }  // `example.com.` is `example.com`
        let address = IPAddress.bytes(of: name)
        return rules.contains { rule in
            switch rule {
            case .everything:
                return true
            case .domain(let domain, let rulePort):
                guard rulePort.map({ $0 == port }) ?? true else { return false }
                return name == domain || name.hasSuffix("." + domain)
            case .address(let bytes, let rulePort):
                guard rulePort.map({ $0 == port }) ?? true else { return false }
                return address == bytes
            case .range(let network, let prefixLength):
                guard let address, address.count == network.count else { return false }
                return IPAddress.prefix(of: address, prefixLength)
                    == IPAddress.prefix(of: network, prefixLength)
            }
        }
    }

    /// Whether the list is empty (no variable, or nothing usable in it).
    public var isEmpty: Bool { rules.isEmpty }

    private static func rule(_ entry: Substring) -> Rule? {
        var entry = Substring(entry.lowercased())
        if entry.isEmpty { return nil }
        if entry == "*" { return .everything }
        if let slash = entry.firstIndex(of: "/") {
            let length = entry[entry.index(after: slash)...]
            guard let network = IPAddress.bytes(of: entry[..<slash]),
                (1...3).contains(length.utf8.count), let bits = Int(length), bits <= network.count * 8
            else { return nil }
            return .range(network, prefixLength: bits)
        }
        if let address = IPAddress.bytes(of: entry) { return .address(address, port: nil) }
        // `[::1]:8000`, `host:8000`: a port after the last colon (an unbracketed IPv6 address with no
        // port was taken above).
        var port: Int?
        if let colon = entry.lastIndex(of: ":") {
            let digits = entry[entry.index(after: colon)...]
            guard (1...5).contains(digits.utf8.count), let number = Int(digits) else { return nil }
            port = number
            entry = entry[..<colon]
        }
        if entry.hasPrefix("["), entry.hasSuffix("]") {
            guard let address = IPAddress.bytes(of: entry.dropFirst().dropLast()) else { return nil }
            return .address(address, port: port)
        }
        if let address = IPAddress.bytes(of: entry) { return .address(address, port: port) }
        if entry.hasPrefix("*.") { entry = entry.dropFirst(2) }
        while entry.hasPrefix(".") { entry = entry.dropFirst() }
        while entry.hasSuffix(".") { entry = entry.dropLast() }
        return entry.isEmpty ? nil : .domain(String(entry), port: port)
    }
}

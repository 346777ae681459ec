#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// IP address text as bytes (4 for IPv4, 16 for IPv6), for `NO_PROXY`'s address and CIDR entries.
enum IPAddress {
    /// The address `text` writes, or `nil` when it is not an IPv4 or IPv6 address (a host name).
    static func bytes(of text: Substring) -> [UInt8]? {
        let string = String(text)
        var v4 = in_addr()
        if inet_pton(AF_INET, string, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, string, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// The first `bits` bits of `address`, the rest zero.
    static func prefix(of address: [UInt8], _ bits: Int) -> [UInt8] {
        address.enumerated().map { index, byte in
            let kept = min(max(bits - index * 8, 0), 8)
            return kept == 8 ? byte : byte & ~(UInt8(0xFF) >> kept)
        }
    }
}

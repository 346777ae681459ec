import DynamoDBModel
import NIOSSL

/// The certificates of a private CA, trusted in addition to the system's (`AWS_CA_BUNDLE`, or
/// `ca_bundle` in the profile): what a TLS-inspecting proxy or a private endpoint signs with.
public struct CABundle: Sendable, Hashable {
    /// The PEM file's path.
    public var path: String
    /// Where the path was given: `AWS_CA_BUNDLE`, `ca_bundle in profile 'x'`.
    public var source: String
    /// The certificates in the file.
    var certificates: [NIOSSLCertificate]

    /// Reads the PEM file at `path` now, so that an unreadable file or one without a certificate is
    /// said once, at start, naming the setting, rather than as a failed handshake later.
    public init(path: String, source: String, fileSystem: some FileSystem) throws(DynamoDBError) {
        self.path = path
        self.source = source
        guard let bytes = try fileSystem.contents(atPath: path) else {
            throw .configuration("\(source): no CA bundle file at '\(path)'")
        }
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(bytes)
        } catch {
            throw .configuration("\(source): '\(path)' is not a PEM file of certificates")
        }
        guard !certificates.isEmpty else {
            throw .configuration("\(source): '\(path)' holds no PEM certificate")
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.path == rhs.path && lhs.certificates == rhs.certificates
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(certificates)
    }
}

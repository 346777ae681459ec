import AsyncHTTPClient
import DynamoDBModel
import JSON
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// ECS and EKS Pod Identity credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (against
/// `http://169.254.170.2`) or `AWS_CONTAINER_CREDENTIALS_FULL_URI` (https, or http to loopback and the
/// ECS/EKS hosts only), with `AWS_CONTAINER_AUTHORIZATION_TOKEN` or `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
/// (read afresh at each fetch) as the `Authorization` header. Redirects are not followed.
public struct ContainerCredentialProvider: CredentialProvider {
    private let environment: [String: String]
    private let fileSystem: any FileSystem
    private let httpClient: HTTPClient
    private let timeout: TimeAmount

    public init(
        environment: [String: String], fileSystem: any FileSystem = LocalFileSystem(),
        httpClient: HTTPClient = MetadataRequest.client, timeout: TimeAmount = .seconds(2)
    ) {
        self.environment = environment
        self.fileSystem = fileSystem
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public var source: String {
        "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI)"
    }

    /// The endpoint the environment names, or `nil` when none is set.
    var endpoint: String? {
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            return "http://169.254.170.2" + (relative.hasPrefix("/") ? "" : "/") + relative
        }
        if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            return full
        }
        return nil
    }

    /// The hosts a plain-http full URI may name besides loopback IP literals, as botocore allows: the
    /// ECS task metadata address, EKS Pod Identity's agent addresses and `localhost`. Anything else must
    /// be https, so that a tampered environment cannot send the authorization token, or take
    /// credentials, in the clear.
    static let plainHTTPHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"]

    /// Whether `host` is written as a loopback IP address (127.0.0.0/8 or ::1): decided from the text
    /// alone, before any lookup, so `127.attacker.example` is a name like any other.
    static func isLoopbackLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        return withUnsafeBytes(of: &v6) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1
        }
    }

    /// Why `url` may not be asked for credentials, or nil when it may.
    public static func refusal(of url: String) -> String? {
        guard let endpoint = Endpoint(url: url) else { return "not an http(s) URL" }
        if endpoint.scheme == "https" { return nil }
        let host = endpoint.host.lowercased().trimmingCharacters(in: "[]")
        if plainHTTPHosts.contains(host) || isLoopbackLiteral(host) { return nil }
        return "plain http is allowed only to loopback and the ECS/EKS hosts 169.254.170.2, 169.254.170.23 "
            + "and fd00:ec2::23, not to \(endpoint.host); use https"
    }

    public func credentials() async throws(DynamoDBError) -> AWSCredentials? {
        guard let endpoint else { return nil }
        if let refusal = Self.refusal(of: endpoint) {
            throw .credentialSource(source: "AWS_CONTAINER_CREDENTIALS_FULL_URI", reason: refusal)
        }
        var request = MetadataRequest(url: endpoint, timeout: timeout)
        if let token = try authorizationToken() {
            request.headers.append(("Authorization", token))
        }
        let response: MetadataRequest.Response
        do {
            response = try await request.send(using: httpClient)
        } catch {
            throw .credentialSource(
                source: "the container credentials endpoint \(endpoint)", reason: "\(error)")
        }
        guard response.status == 200 else {
            throw .credentialSource(
                source: "the container credentials endpoint \(endpoint)", reason: "HTTP \(response.status)")
        }
        do {
            return try Self.decodeTemporaryCredentials(response.body)
        } catch {
            throw .credentialSource(
                source: "the container credentials endpoint \(endpoint)",
                reason: "unexpected answer: \(error)")
        }
    }

    private func authorizationToken() throws(DynamoDBError) -> String? {
        if let path = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !path.isEmpty {
            guard let bytes = try fileSystem.contents(atPath: path) else {
                throw .configuration(
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names \(path), which does not exist")
            }
            return String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        }
        return environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The JSON both the container endpoint and instance metadata answer with: `AccessKeyId`,
    /// `SecretAccessKey`, `Token`, `Expiration`.
    static func decodeTemporaryCredentials(_ bytes: [UInt8]) throws(ValueDecodingError) -> AWSCredentials {
        let document: JSONValue
        do {
            document = try JSONParser().parse(bytes: bytes)
        } catch {
            throw ValueDecodingError(path: "", message: "not JSON (invalid at byte \(error.offset))")
        }
        let reader = JSONReader(document)
        if let code = try reader.optionalString("Code"), code != "Success" {
            throw ValueDecodingError(path: "Code", message: "'\(code)', expected 'Success'")
        }
        var expiration: UTCTimestamp?
        if let text = try reader.optionalString("Expiration") {
            guard let parsed = UTCTimestamp(iso8601: text) else {
                throw ValueDecodingError(path: "Expiration", message: "not an ISO 8601 date")
            }
            expiration = parsed
        }
        return AWSCredentials(
            accessKeyID: try reader.required("AccessKeyId").string(),
            secretAccessKey: try reader.required("SecretAccessKey").string(),
            sessionToken: try reader.optionalString("Token"), expiration: expiration)
    }
}

extension String {
    /// The text without leading and trailing characters of `set` (Foundation's name, without Foundation).
    func trimmingCharacters(in set: String) -> String {
        trimming { set.contains($0) }
    }

    package func trimmingWhitespace() -> String {
        trimming(\.isWhitespace)
    }

    private func trimming(_ isTrimmed: (Character) -> Bool) -> String {
        var text = Substring(self)
        while let first = text.first, isTrimmed(first) { text.removeFirst() }
        while let last = text.last, isTrimmed(last) { text.removeLast() }
        return String(text)
    }
}

import Crypto
import DynamoDBModel

/// Signs HTTP requests with AWS Signature Version 4, in the Authorization header.
///
/// A value type with no client in it: the date comes in as an argument, so the same inputs always give
/// the same signature, and each stage AWS's documentation names is a method of its own
/// (``canonicalRequest(for:)``, ``stringToSign(canonicalRequest:date:)``, ``signingKey(date:)``,
/// ``signature(stringToSign:date:)``), checked against the official test suite.
public struct SigV4Signer: Sendable {
    /// A request to sign: the parts of HTTP that SigV4 covers.
    public struct Request: Sendable, Equatable {
        /// The HTTP method, `GET` or `POST`.
        public var method: String
        /// The path as written in the request line, before the signer's own encoding. AWS's rule for
        /// every service but S3 is that the canonical path is this path URI-encoded once more, so a
        /// `%20` here is signed as `%2520`.
        public var path: String
        /// The query string without the `?`, as written in the request line (may be empty).
        public var query: String
        /// The header fields in order; names are compared case-insensitively, and a repeated name is
        /// signed as its values joined with commas in this order.
        public var headers: [(name: String, value: String)]
        /// The body bytes, hashed into the canonical request.
        public var body: [UInt8]

        public init(
            method: String, path: String = "/", query: String = "",
            headers: [(name: String, value: String)] = [], body: [UInt8] = []
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }

        /// The first value of header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            let lowered = name.lowercased()
            return headers.first { $0.name.lowercased() == lowered }?.value
        }

        public static func == (lhs: Request, rhs: Request) -> Bool {
            lhs.method == rhs.method && lhs.path == rhs.path && lhs.query == rhs.query
                && lhs.body == rhs.body && lhs.headers.count == rhs.headers.count
                && zip(lhs.headers, rhs.headers).allSatisfy { $0.name == $1.name && $0.value == $1.value }
        }
    }

    /// The algorithm name SigV4 writes into the string to sign and the Authorization header.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The credentials that sign.
    public var credentials: AWSCredentials
    /// The region of the credential scope, `us-east-1`.
    public var region: String
    /// The service of the credential scope, `dynamodb`.
    public var service: String
    /// Whether the path has `.`/`..` segments and repeated slashes removed before encoding (true for
    /// every service but S3).
    public var normalizesPath: Bool
    /// Whether an `x-amz-content-sha256` header with the body's hash is added and signed.
    public var signsPayloadHash: Bool
    /// Whether `X-Amz-Security-Token` is part of the signature. True for DynamoDB; a few services
    /// (the test suite's `post-sts-header-after`) want it added after signing.
    public var signsSessionToken: Bool

    public init(
        credentials: AWSCredentials, region: String, service: String, normalizesPath: Bool = true,
        signsPayloadHash: Bool = false, signsSessionToken: Bool = true
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.normalizesPath = normalizesPath
        self.signsPayloadHash = signsPayloadHash
        self.signsSessionToken = signsSessionToken
    }

    // MARK: Signing

    /// The request with `X-Amz-Date`, `X-Amz-Security-Token` (with temporary credentials),
    /// `x-amz-content-sha256` (when ``signsPayloadHash``) and `Authorization` added.
    public func sign(_ request: Request, date: UTCTimestamp) -> Request {
        var signed = prepare(request, date: date)
        signed.headers.append((name: "Authorization", value: authorization(forPrepared: signed, date: date)))
        return signed
    }

    /// The request with the headers that are signed added, before the `Authorization` header.
    public func prepare(_ request: Request, date: UTCTimestamp) -> Request {
        var prepared = request
        prepared.headers.append((name: "X-Amz-Date", value: date.amzDate))
        if let token = credentials.sessionToken {
            prepared.headers.append((name: "X-Amz-Security-Token", value: token))
        }
        if signsPayloadHash {
            prepared.headers.append((name: "x-amz-content-sha256", value: Self.hexSHA256(request.body)))
        }
        return prepared
    }

    /// The `Authorization` header value for a request that ``prepare(_:date:)`` returned.
    public func authorization(forPrepared request: Request, date: UTCTimestamp) -> String {
        let canonical = canonicalRequest(for: request)
        let signature = signature(
            stringToSign: stringToSign(canonicalRequest: canonical, date: date), date: date)
        let signedHeaders = canonicalHeaders(of: request).map(\.name).joined(separator: ";")
        return "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(credentialScope(date: date)), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    // MARK: Stages

    /// Stage 1: the canonical request of a prepared request (method, canonical path, canonical query,
    /// canonical headers, signed header names, hex SHA-256 of the body).
    public func canonicalRequest(for request: Request) -> String {
        let headers = canonicalHeaders(of: request)
        var lines = [request.method, canonicalPath(request.path), canonicalQuery(request.query)]
        lines += headers.map { "\($0.name):\($0.value)" }
        lines.append("")
        lines.append(headers.map(\.name).joined(separator: ";"))
        lines.append(request.header("x-amz-content-sha256") ?? Self.hexSHA256(request.body))
        return lines.joined(separator: "\n")
    }

    /// Stage 2: the string to sign: algorithm, date, credential scope, hash of the canonical request.
    public func stringToSign(canonicalRequest: String, date: UTCTimestamp) -> String {
        [
            Self.algorithm, date.amzDate, credentialScope(date: date),
            Self.hexSHA256(Array(canonicalRequest.utf8)),
        ]
        .joined(separator: "\n")
    }

    /// Stage 3: the signing key, HMAC-chained from the secret through date, region, service and
    /// `aws4_request`.
    public func signingKey(date: UTCTimestamp) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [date.dateStamp, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }

    /// Stage 4: the hex signature of the string to sign.
    public func signature(stringToSign: String, date: UTCTimestamp) -> String {
        Self.hex(
            HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(date: date)))
    }

    /// `20150830/us-east-1/service/aws4_request`.
    public func credentialScope(date: UTCTimestamp) -> String {
        "\(date.dateStamp)/\(region)/\(service)/aws4_request"
    }

    // MARK: Canonical parts

    /// Lower-cased names, sorted, with values trimmed, inner whitespace runs collapsed to one space and
    /// repeated names joined with commas. `Authorization` is never signed, nor the session token when
    /// ``signsSessionToken`` is false.
    func canonicalHeaders(of request: Request) -> [(name: String, value: String)] {
        var values: [String: [String]] = [:]
        for (name, value) in request.headers {
            let lowered = name.lowercased()
            if lowered == "authorization" || (!signsSessionToken && lowered == "x-amz-security-token") {
                continue
            }
            values[lowered, default: []].append(Self.collapsingWhitespace(value))
        }
        return values.keys.sorted().map { (name: $0, value: values[$0]!.joined(separator: ",")) }
    }

    func canonicalPath(_ path: String) -> String {
        let source = path.isEmpty ? "/" : path
        let normalized = normalizesPath ? Self.removingDotSegments(source) : source
        return Self.percentEncode(normalized, keepingSlashes: true)
    }

    /// Parameters decoded, encoded with SigV4's rules and sorted by name, then value; a name without
    /// `=` is signed with an empty value.
    func canonicalQuery(_ query: String) -> String {
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.percentEncode(Self.percentDecode(pieces[0]), keepingSlashes: false)
            let value =
                pieces.count > 1
                ? Self.percentEncode(Self.percentDecode(pieces[1]), keepingSlashes: false) : ""
            return (name, value)
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    // MARK: Encoding

    static func removingDotSegments(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let trailingSlash = path.hasSuffix("/") && !segments.isEmpty
        return "/" + segments.joined(separator: "/") + (trailingSlash ? "/" : "")
    }

    /// RFC 3986 encoding as SigV4 wants it: unreserved characters as they are, every other byte of
    /// the UTF-8 as `%XX` in upper case.
    static func percentEncode(_ text: some StringProtocol, keepingSlashes: Bool) -> String {
        var result: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.append(byte)
            case UInt8(ascii: "/") where keepingSlashes:
                result.append(byte)
            default:
                result.append(UInt8(ascii: "%"))
                result.append(hexDigits[Int(byte >> 4)])
                result.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// `%XX` escapes decoded; anything that is not a valid escape is kept as it is.
    static func percentDecode(_ text: some StringProtocol) -> String {
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = HexDigit.value(bytes[index + 1]), let low = HexDigit.value(bytes[index + 2])
            {
                result.append(high << 4 | low)
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func collapsingWhitespace(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .joined(separator: " ")
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    static func hexSHA256(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var result: [UInt8] = []
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: result, as: UTF8.self)
    }
}

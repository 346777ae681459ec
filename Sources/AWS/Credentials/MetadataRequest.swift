import AsyncHTTPClient
import NIOCore

/// One small HTTP request to a credentials endpoint (container, instance metadata, IAM Identity
/// Center), with a short time limit covering connect and response alike.
public struct MetadataRequest {
    /// The client credential endpoints are asked with: it never follows a redirect, which could carry
    /// the authorization token or the request for credentials to another host. Lives as long as the
    /// process, like `HTTPClient.shared`.
    public static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    enum Method { case get, put, post }

    var method: Method = .get
    var url: String
    var headers: [(String, String)] = []
    var timeout: TimeAmount
    var body: [UInt8] = []

    struct Response {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func send(using client: HTTPClient) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method =
            switch method {
            case .get: .GET
            case .put: .PUT
            case .post: .POST
            }
        if !body.isEmpty {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        let response = try await client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        return Response(status: Int(response.status.code), body: Array(body.readableBytesView))
    }
}

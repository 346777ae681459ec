import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A scripted HTTP/1.1 server on 127.0.0.1 and a free port: each request is recorded and answered
/// by the script (a status and body, a dropped connection, or no answer at all).
package final class LocalHTTPServer: Sendable {
    package struct Request: Sendable {
        package var method: String
        package var uri: String
        package var headers: [(String, String)]
        package var body: [UInt8]

        package func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        package var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    package enum Action: Sendable {
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        case dropConnection
        case noAnswer

        package static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Action {
            .respond(
                status: status, headers: [("Content-Type", "application/x-amz-json-1.0")] + headers,
                body: Array(body.utf8))
        }
    }

    package typealias Script = @Sendable (_ index: Int, _ request: Request) -> Action

    private let channel: any Channel
    private let recorded = Mutex<[Request]>([])
    private let script: Script

    private init(channel: any Channel, script: @escaping Script) {
        self.channel = channel
        self.script = script
    }

    package static func start(_ script: @escaping Script) async throws -> LocalHTTPServer {
        let box = ServerBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = LocalHTTPServer(channel: channel, script: script)
        box.server.withLock { $0 = server }
        return server
    }

    /// A server answering with `actions` in order, the last one repeating.
    package static func start(answering actions: [Action]) async throws -> LocalHTTPServer {
        try await start { index, _ in actions[min(index, actions.count - 1)] }
    }

    package var port: Int { channel.localAddress?.port ?? 0 }
    package var url: String { "http://127.0.0.1:\(port)" }
    package var requests: [Request] { recorded.withLock { $0 } }

    package func stop() async throws {
        try await channel.close()
    }

    fileprivate func answer(_ request: Request) -> Action {
        let index = recorded.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        return script(index, request)
    }
}

private final class ServerBox: Sendable {
    let server = Mutex<LocalHTTPServer?>(nil)
}

private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let box: ServerBox
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(box: ServerBox) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head, let server = box.server.withLock({ $0 }) else { return }
            let request = LocalHTTPServer.Request(
                method: head.method.rawValue, uri: head.uri,
                headers: head.headers.map { ($0.name, $0.value) },
                body: body)
            switch server.answer(request) {
            case .respond(let status, let headers, let body):
                var responseHeaders = HTTPHeaders(headers)
                responseHeaders.replaceOrAdd(name: "Content-Length", value: "\(body.count)")
                context.write(
                    wrapOutboundOut(
                        .head(
                            HTTPResponseHead(
                                version: .http1_1, status: .init(statusCode: status), headers: responseHeaders
                            ))),
                    promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case .dropConnection:
                context.close(promise: nil)
            case .noAnswer:
                break
            }
        }
    }
}

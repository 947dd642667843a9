import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection of a virtual browser, one request at a time, on SwiftNIO
/// directly: like wrk for the page figures, the load driver should cost little next to the
/// registry it measures (AsyncHTTPClient's pooling and per-request tasks cost the driver about as
/// much CPU per booking as a third of the registry's, on the same 2 cores).
final class HTTPConnection: @unchecked Sendable {
    /// A response as the driver reads it.
    struct Answer {
        let status: Int
        let headers: HTTPHeaders
        let body: String
    }

    private let channel: Channel
    private let collector: ResponseCollector
    private let host: String

    private init(channel: Channel, collector: ResponseCollector, host: String) {
        self.channel = channel
        self.collector = collector
        self.host = host
    }

    static func open(host: String, port: Int) async throws -> HTTPConnection {
        let collector = ResponseCollector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: host, port: port).get()
        return HTTPConnection(channel: channel, collector: collector, host: host)
    }

    func send(_ method: HTTPMethod, _ path: String, headers extra: [(String, String)], body: String?) async throws -> Answer {
        var headers = HTTPHeaders([("Host", host)] + extra)
        if let body { headers.add(name: "Content-Length", value: String(body.utf8.count)) }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
        let channel = self.channel
        let collector = self.collector
        return try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<Answer> in
            let promise = channel.eventLoop.makePromise(of: Answer.self)
            collector.waiting = promise
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            return promise.futureResult
        }.get()
    }

    func close() async {
        try? await channel.close()
    }
}

/// Collects one response at a time for the request waiting on it.
private final class ResponseCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    /// Set on the event loop before each request is written.
    var waiting: EventLoopPromise<HTTPConnection.Answer>?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received):
            head = received
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let head else { return }
            waiting?.succeed(HTTPConnection.Answer(status: Int(head.status.code), headers: head.headers, body: String(buffer: body)))
            waiting = nil
            self.head = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        waiting?.fail(error)
        waiting = nil
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        waiting?.fail(ChannelError.ioOnClosedChannel)
        waiting = nil
    }
}

extension String {
    /// Where `needle` occurs, compared byte by byte: Foundation's `range(of:)` (with its Unicode
    /// folding) had cost the load driver a third of its CPU, which the registry under test shares.
    func bytesRange(of needle: String) -> Range<String.Index>? {
        let found: Int?? = utf8.withContiguousStorageIfAvailable { hay in
            Array(needle.utf8).withUnsafeBufferPointer { pattern -> Int? in
                guard let first = pattern.first, pattern.count <= hay.count else { return nil }
                var at = 0
                while at <= hay.count - pattern.count {
                    if hay[at] == first, memcmp(hay.baseAddress! + at, pattern.baseAddress!, pattern.count) == 0 { return at }
                    at += 1
                }
                return nil
            }
        }
        guard let offset = found ?? nil else { return found == nil ? range(of: needle) : nil }
        let start = utf8.index(utf8.startIndex, offsetBy: offset)
        return start..<utf8.index(start, offsetBy: needle.utf8.count)
    }

    /// Whether `needle` occurs, compared byte by byte.
    func containsBytes(_ needle: String) -> Bool { bytesRange(of: needle) != nil }
}

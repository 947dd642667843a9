import AsyncHTTPClient
import Deadline
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One HTTP exchange with a gateway, as the bridge needs it.
public struct MISHTTPRequest: Sendable {
    public let method: String
    public let url: String
    public let headers: [(String, String)]
    public let body: [UInt8]?

    public init(method: String, url: String, headers: [(String, String)], body: [UInt8]?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// What came back.
public struct MISHTTPResponse: Sendable {
    public let status: Int
    public let body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Carries protocol requests to a gateway; errors are `MISFailure` (timeout, unreachable, bad answer).
/// `timeout` bounds the whole exchange: connecting, sending, the answer's head and all of its body.
public protocol MISTransport: Sendable {
    func send(_ request: MISHTTPRequest, timeout: Duration) async throws(MISFailure) -> MISHTTPResponse
}

/// The real transport: AsyncHTTPClient with a connect timeout and one deadline for the whole
/// exchange (a gateway trickling its answer is cut off like one that never answers), answers
/// bounded in size, and up to `connectionsPerGateway` calls to one gateway at once (AsyncHTTPClient's
/// own default, 8, would queue a rush's bookings behind a slow MIS until their deadline).
public final class HTTPClientTransport: MISTransport {
    private let client: HTTPClient
    private let maximumAnswerBytes: Int

    public init(connectTimeout: Duration = .seconds(2), maximumAnswerBytes: Int = 8 << 20, connectionsPerGateway: Int = 32) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: TimeAmount(connectTimeout))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerGateway)
        // The bridge decides about retries (reads only, with jitter) and trips its circuit breaker;
        // a refused connection must come back at once rather than be retried here until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.maximumAnswerBytes = maximumAnswerBytes
    }

    deinit {
        try? client.syncShutdown()
    }

    /// Closes pooled connections; call before the process exits.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: MISHTTPRequest, timeout: Duration) async throws(MISFailure) -> MISHTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let limit = maximumAnswerBytes
        let client = self.client
        let prepared = outgoing
        do {
            // The client's own deadline ends when the head arrives; the race below also bounds the
            // body, and answers the caller the moment time is up — the abandoned exchange is torn
            // down in the background rather than waited for (which, on a busy machine, took longer).
            return try await race(timeout: timeout, failure: MISFailure(.timeout, detail: "no whole answer within \(timeout)")) {
                let response = try await client.execute(prepared, deadline: deadline)
                let body = try await response.body.collect(upTo: limit)
                return MISHTTPResponse(status: Int(response.status.code), body: Array(buffer: body))
            }
        } catch let failure as MISFailure {
            throw failure
        } catch let error as HTTPClientError {
            switch error {
            case .connectTimeout:
                throw MISFailure(.unreachable, detail: "\(error)", requestSent: false)
            case .deadlineExceeded, .readTimeout, .writeTimeout, .cancelled:
                throw MISFailure(.timeout, detail: "\(error)")
            default:
                throw MISFailure(.unreachable, detail: "\(error)")
            }
        } catch is NIOTooManyBytesError {
            throw MISFailure(.badAnswer, detail: "answer larger than \(maximumAnswerBytes) bytes")
        } catch is NIOConnectionError {
            throw MISFailure(.unreachable, detail: "connection refused", requestSent: false)
        } catch let error as IOError where [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode) {
            throw MISFailure(.unreachable, detail: "connection refused", requestSent: false)
        } catch {
            throw MISFailure(.unreachable, detail: String(describing: type(of: error)))
        }
    }
}

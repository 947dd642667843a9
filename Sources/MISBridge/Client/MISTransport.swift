import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP exchange with a gateway, as the bridge needs it.
public struct MISHTTPRequest: Sendable {
    public let method: String
    public let url: String
    public let headers: [(String, String)]
    public let body: [UInt8]?
}

/// What came back.
public struct MISHTTPResponse: Sendable {
    public let status: Int
    public let body: [UInt8]
}

/// Carries protocol requests to a gateway; errors are `MISFailure` (timeout, unreachable, bad answer).
public protocol MISTransport: Sendable {
    func send(_ request: MISHTTPRequest, timeout: Duration) async throws(MISFailure) -> MISHTTPResponse
}

/// The real transport: AsyncHTTPClient with a connect timeout and an overall deadline per request,
/// and answers bounded in size.
public final class HTTPClientTransport: MISTransport {
    private let client: HTTPClient
    private let maximumAnswerBytes: Int

    public init(connectTimeout: Duration = .seconds(2), maximumAnswerBytes: Int = 8 << 20) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .nanoseconds(connectTimeout.components.seconds * 1_000_000_000 + connectTimeout.components.attoseconds / 1_000_000_000))
        configuration.connectionPool = .init(idleTimeout: .seconds(60))
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
        do {
            let seconds = Int64(timeout.components.seconds) * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000
            let response = try await client.execute(outgoing, timeout: .milliseconds(seconds))
            let body = try await response.body.collect(upTo: maximumAnswerBytes)
            return MISHTTPResponse(status: Int(response.status.code), body: Array(buffer: body))
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                throw MISFailure(.timeout, detail: "\(error)")
            case .remoteConnectionClosed, .connectTimeout:
                throw MISFailure(.unreachable, detail: "\(error)")
            default:
                throw MISFailure(.unreachable, detail: "\(error)")
            }
        } catch is NIOTooManyBytesError {
            throw MISFailure(.badAnswer, detail: "answer larger than \(maximumAnswerBytes) bytes")
        } catch {
            throw MISFailure(.unreachable, detail: String(describing: type(of: error)))
        }
    }
}

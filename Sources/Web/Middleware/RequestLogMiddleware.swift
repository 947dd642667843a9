import Foundation
import Hummingbird
import Logging

/// Logs one line per request: method, path without its query (queries may carry personal data), status, time.
public struct RequestLogMiddleware: RouterMiddleware {
    /// Every registry middleware runs at the root, before a channel's group gives its own context:
    /// concrete, so that each request runs specialised code rather than generic code across modules.
    public typealias Context = RegistryRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        // Hundredths of a millisecond, written by hand (String(format:) costs more than a cached page).
        let hundredths = Int(elapsed.components.seconds) * 100_000 + Int(elapsed.components.attoseconds / 10_000_000_000_000)
        let fraction = hundredths % 100
        context.logger.info(
            "request",
            metadata: [
                "http.method": .string(request.method.rawValue),
                "http.path": .string(request.uri.path),
                "http.status": .stringConvertible(response.status.code),
                "http.duration_ms": .string("\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"),
            ]
        )
        return response
    }
}

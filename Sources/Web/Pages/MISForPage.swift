import Hummingbird
import MISBridge

/// Runs a MIS call for a page: an outage becomes the "service unavailable" page (with its retry
/// link), any other refusal "not found".
public func misForPage<T>(_ body: () async throws(MISFailure) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw HTTPError(error.isOutage ? .serviceUnavailable : .notFound)
    }
}

import Dispatch
import Hummingbird
import Metrics
import Synchronization

/// Counts requests and times them per route (`http_requests{route,method,status}` and
/// `http_request_duration{route,method}`), by the route's pattern — never a filled-in address, so
/// that no patient's data and no unbounded set of labels reaches the metrics. Timed until the
/// response is ready; the registry's bodies are in memory, so writing them adds next to nothing.
/// (Hummingbird's own `MetricsMiddleware` wraps every body to time its writing, which cost the
/// slot page a sixth of its throughput.)
public struct RequestMetricsMiddleware: RouterMiddleware {
    public typealias Context = RegistryRequestContext

    private let handles = RequestMetricHandles()

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now()
        do {
            let response = try await next(request, context)
            handles.record(route: context.endpointPath, method: request.method, status: response.status.code, since: started)
            return response
        } catch {
            handles.record(route: context.endpointPath, method: request.method, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: started)
            throw error
        }
    }
}

/// The metric handles of each route, made once.
final class RequestMetricHandles: Sendable {
    private struct Key: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: Int
    }

    private let counters = Mutex<[Key: (Counter, Timer)]>([:])

    func record(route: String?, method: HTTPRequest.Method, status: Int, since started: DispatchTime) {
        // Unmatched addresses share one label: what a visitor types never becomes a metric's name.
        let key = Key(route: route ?? "unmatched", method: method, status: status)
        let (counter, timer) = counters.withLock { handles in
            if let found = handles[key] { return found }
            let made = (
                Counter(label: "http_requests", dimensions: [("route", key.route), ("method", method.rawValue), ("status", String(status))]),
                Timer(label: "http_request_duration", dimensions: [("route", key.route), ("method", method.rawValue)])
            )
            handles[key] = made
            return made
        }
        counter.increment()
        timer.recordInterval(since: started)
    }
}

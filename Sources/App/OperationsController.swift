import Foundation
import Hummingbird
import MISBridge
import Persistence
import Prometheus
import RegistryCore
import Web

/// What the region's operators and their load balancer ask a node: liveness (`/health/live`, and
/// `/health` with the version), readiness (`/health/ready`: the database reachable, each gateway's
/// circuit breaker), and Prometheus metrics (`/metrics`, allow-listed addresses only).
struct OperationsController {
    let startedAt: Date
    let database: any RegistryStore
    let region: Region
    let metrics: PrometheusCollectorRegistry
    let metricsAllowed: Set<String>

    func addRoutes(to router: Router<RegistryRequestContext>) {
        router.get(RouterPath(OperationsRoute.health.rawValue)) { _, _ in
            try json(HealthReport(status: "ok", version: RegistryVersion.current, uptimeSeconds: Int(Date().timeIntervalSince(startedAt))))
        }
        router.get(RouterPath(OperationsRoute.live.rawValue)) { _, _ in
            try json(LivenessReport(status: "ok"))
        }
        router.get(RouterPath(OperationsRoute.ready.rawValue)) { _, _ in
            let databaseReachable = await database.isReachable()
            let gateways = region.clients.map { GatewayReport(id: $0.endpoint.id, breaker: $0.breakerPhase.rawValue) }
            let report = ReadinessReport(status: databaseReachable ? "ready" : "not-ready", database: databaseReachable ? "ok" : "unreachable", gateways: gateways)
            return try json(report, status: databaseReachable ? .ok : .serviceUnavailable)
        }
        router.get(RouterPath(OperationsRoute.metrics.rawValue)) { _, context -> Response in
            guard let address = context.remoteAddress, metricsAllowed.contains(address) else { throw HTTPError(.notFound) }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer()))
            )
        }
    }

    private func json(_ report: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let body = ByteBuffer(bytes: try JSONEncoder().encode(report))
        return Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: body))
    }
}

/// The operations addresses (not a channel's: no page links to them).
enum OperationsRoute: String, CaseIterable {
    case health = "/health"
    case live = "/health/live"
    case ready = "/health/ready"
    case metrics = "/metrics"
}

/// What `/health` reports.
struct HealthReport: Codable {
    let status: String
    let version: String
    let uptimeSeconds: Int
}

/// What `/health/live` reports: the process answers.
struct LivenessReport: Codable {
    let status: String
}

/// What `/health/ready` reports: whether this node should get traffic, and why.
struct ReadinessReport: Codable {
    let status: String
    let database: String
    let gateways: [GatewayReport]
}

/// One gateway's circuit breaker as readiness reports it (`closed`, `open`, `half-open`).
struct GatewayReport: Codable {
    let id: String
    let breaker: String
}

/// The registry's release version.
public enum RegistryVersion {
    public static let current = "0.1.0"
}

import Foundation
import Hummingbird
import Web

/// `GET /health` for monitoring: 200 with a small JSON report while the registry serves requests.
struct HealthController {
    let startedAt: Date

    func addRoutes(to router: Router<RegistryRequestContext>) {
        router.get(RouterPath(SiteRoute.health.path)) { _, _ -> Response in
            let report = HealthReport(status: "ok", version: RegistryVersion.current, uptimeSeconds: Int(Date().timeIntervalSince(startedAt)))
            var response = try JSONEncoder().encodeAsByteBuffer(report, allocator: ByteBufferAllocator())
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: response.slice()))
        }
    }
}

/// What the health endpoint reports.
struct HealthReport: Codable {
    let status: String
    let version: String
    let uptimeSeconds: Int
}

/// The registry's release version.
public enum RegistryVersion {
    public static let current = "0.1.0"
}

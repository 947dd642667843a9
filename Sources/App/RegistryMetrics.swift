import Metrics
import Prometheus

/// The process's one metrics backend: swift-metrics bootstrapped once with a Prometheus registry,
/// the registry `/metrics` shows. Names and label names are made Prometheus-safe, should a package
/// report with dots (`http.server.request.duration` becomes `http_server_request_duration`).
enum RegistryMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (safe(name), labels.map { (safe($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Letters, digits and `_` only, as Prometheus requires of names.
    static func safe(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
    }
}

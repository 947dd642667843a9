import Metrics
import Synchronization

/// The bridge's call metrics of one gateway, made once per operation (and outcome) rather than on
/// every call: `mis_request_duration{operation,endpoint}` and `mis_requests{operation,endpoint,outcome}`.
final class CallMetrics: Sendable {
    private let endpoint: String
    private let timers = Mutex<[MISOperation: Timer]>([:])
    private let counters = Mutex<[String: Counter]>([:])

    init(endpoint: String) {
        self.endpoint = endpoint
    }

    func record(_ operation: MISOperation, nanoseconds: Int64, outcome: String) {
        let timer = timers.withLock { timers in
            if let timer = timers[operation] { return timer }
            let timer = Timer(label: "mis_request_duration", dimensions: [("operation", operation.rawValue), ("endpoint", endpoint)])
            timers[operation] = timer
            return timer
        }
        timer.recordNanoseconds(nanoseconds)
        let key = operation.rawValue + " " + outcome
        let counter = counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: "mis_requests", dimensions: [("operation", operation.rawValue), ("endpoint", endpoint), ("outcome", outcome)])
            counters[key] = counter
            return counter
        }
        counter.increment()
    }
}

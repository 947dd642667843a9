import Booking
import Metrics
import MISBridge
import Persistence
import Synchronization

/// What the booking desk counts (swift-metrics; `/metrics` shows them): bookings and moves made
/// and cancellations per channel, and booking attempts refused per rule — by the registry's rules
/// before the MIS is asked, or by the MIS itself. Each counter is made once.
enum DeskMetrics {
    private static let counters = Mutex<[String: Counter]>([:])

    static func booked(_ entry: LedgerEntry) {
        count("registry_bookings", [("channel", entry.channel), ("kind", entry.replaces == nil ? "booked" : "moved")])
    }

    static func cancelled(channel: MISChannel) {
        count("registry_cancellations", [("channel", channel.rawValue)])
    }

    static func refused(_ refusal: Refusal, channel: MISChannel) {
        count("registry_refusals", [("rule", refusal.code.rawValue), ("channel", channel.rawValue)])
    }

    private static func count(_ label: String, _ dimensions: [(String, String)]) {
        let key = label + dimensions.map { " " + $0.1 }.joined()
        counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions)
            counters[key] = counter
            return counter
        }.increment()
    }
}

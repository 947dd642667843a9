import Booking
import Metrics
import MISBridge
import Persistence

/// What the booking desk counts (swift-metrics; `/metrics` shows them): bookings and moves made
/// and cancellations per channel, and booking attempts refused per rule — by the registry's rules
/// before the MIS is asked, or by the MIS itself. A counter is asked of the metrics system each
/// time (the backend hands out the one it made): one kept from before the system was bootstrapped
/// would count nothing for the rest of the process.
enum DeskMetrics {
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
        Counter(label: label, dimensions: dimensions).increment()
    }
}

import Foundation
import Synchronization

/// Keeps answers that change slowly (districts, clinics, specialties, doctors) for a short time.
final class ReferenceCache: Sendable {
    private struct Entry {
        let node: XMLElementView
        let expires: ContinuousClock.Instant
    }

    private let lifetime: Duration
    private let entries = Mutex<[String: Entry]>([:])

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    func value(for key: String, now: ContinuousClock.Instant = .now) -> XMLElementView? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries[key] = nil
                return nil
            }
            return entry.node
        }
    }

    func store(_ node: XMLElementView, for key: String, now: ContinuousClock.Instant = .now) {
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[key] = Entry(node: node, expires: now + lifetime)
        }
    }
}

import Foundation
import Synchronization

/// Keeps decoded reference answers (districts, clinics, specialties, doctors) for a short time; free times
/// have their own `FreeTimesCache`.
final class ReferenceCache: Sendable {
    private struct Entry {
        let value: any Sendable
        let expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])

    init() {}

    func value(for key: String, now: ContinuousClock.Instant = .now) -> (any Sendable)? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    func store(_ value: any Sendable, for key: String, lifetime: Duration, now: ContinuousClock.Instant = .now) {
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[key] = Entry(value: value, expires: now + lifetime)
        }
    }
}

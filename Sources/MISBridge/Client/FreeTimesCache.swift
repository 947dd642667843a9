import Synchronization

/// Doctors' free times shared for a few seconds, already decoded. A booking through the registry
/// takes its time out of the shared list (the registry knows it is gone); a cancellation, or the
/// MIS saying "taken", drops the list. Every change to a doctor's lists moves that doctor's
/// generation on, so that anything built from them (a rendered page) knows when it is out of date.
final class FreeTimesCache: Sendable {
    /// One doctor's free times over a range of days.
    struct Key: Hashable, Sendable {
        let clinic: String
        let doctor: String
        let from: String
        let to: String

        var doctorKey: DoctorKey { DoctorKey(clinic: clinic, doctor: doctor) }
    }

    struct DoctorKey: Hashable, Sendable {
        let clinic: String
        let doctor: String
    }

    private struct Entry {
        var slots: [MISSlot]
        let expires: ContinuousClock.Instant
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var generations: [DoctorKey: UInt64] = [:]
        var counter: UInt64 = 0

        mutating func advance(_ doctor: DoctorKey) {
            counter += 1
            generations[doctor] = counter
        }
    }

    private let state = Mutex(State())

    init() {}

    func slots(for key: Key, now: ContinuousClock.Instant = .now) -> [MISSlot]? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard entry.expires > now else {
                state.entries[key] = nil
                return nil
            }
            return entry.slots
        }
    }

    /// Shares `slots` under `key` for `lifetime`. The doctor's generation moves on unless the same
    /// times were already shared under this key (then only the lifetime is renewed), so that pages
    /// built from them stay valid when nothing changed.
    func store(_ slots: [MISSlot], for key: Key, lifetime: Duration, now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            if state.entries.count > 10_000 { state.entries = state.entries.filter { $0.value.expires > now } }
            let unchanged = state.entries[key]?.slots == slots
            state.entries[key] = Entry(slots: slots, expires: now + lifetime)
            if !unchanged { state.advance(key.doctorKey) }
        }
    }

    /// The doctor's time `slot` was booked through this registry: it leaves every shared list of theirs.
    func remove(slot: String, clinic: String, doctor: String) {
        state.withLock { state in
            for (key, entry) in state.entries where key.clinic == clinic && key.doctor == doctor {
                state.entries[key]?.slots = entry.slots.filter { $0.id != slot }
            }
            state.advance(DoctorKey(clinic: clinic, doctor: doctor))
        }
    }

    /// Drops the doctor's lists, or every list of the clinic when `doctor` is nil.
    func forget(clinic: String, doctor: String?) {
        state.withLock { state in
            for key in state.entries.keys where key.clinic == clinic && (doctor == nil || key.doctor == doctor) {
                state.entries[key] = nil
            }
            if let doctor {
                state.advance(DoctorKey(clinic: clinic, doctor: doctor))
            } else {
                for key in state.generations.keys where key.clinic == clinic { state.advance(key) }
            }
        }
    }

    /// The doctor's generation, and when the list under `key` ends (nil when none is held).
    func stamp(for key: Key, now: ContinuousClock.Instant = .now) -> FreeTimesStamp {
        state.withLock { state in
            let expires = state.entries[key].flatMap { $0.expires > now ? $0.expires : nil }
            return FreeTimesStamp(generation: state.generations[key.doctorKey] ?? 0, expires: expires, doctor: key.doctorKey, cache: self)
        }
    }

    func generation(clinic: String, doctor: String) -> UInt64 {
        state.withLock { $0.generations[DoctorKey(clinic: clinic, doctor: doctor)] ?? 0 }
    }
}

/// How current a doctor's shared free times are. Something built from them stays valid while the
/// doctor's generation is unchanged and until `expires`; take the stamp *before* reading the times,
/// so that a change in between makes the result stale rather than wrongly current.
public struct FreeTimesStamp: Sendable, Equatable {
    public let generation: UInt64
    /// When the shared list ends; nil when none is held now (what is built next is stale at once).
    public let expires: ContinuousClock.Instant?
    let doctor: FreeTimesCache.DoctorKey
    let cache: FreeTimesCache

    /// Whether what was built from the times read after this stamp still shows them as they are.
    public func isCurrent(now: ContinuousClock.Instant = .now) -> Bool {
        guard let expires, now < expires else { return false }
        return cache.generation(clinic: doctor.clinic, doctor: doctor.doctor) == generation
    }

    public static func == (left: FreeTimesStamp, right: FreeTimesStamp) -> Bool {
        left.generation == right.generation && left.expires == right.expires && left.doctor == right.doctor && left.cache === right.cache
    }
}

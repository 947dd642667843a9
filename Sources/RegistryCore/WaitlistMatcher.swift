import Booking
import Foundation
import MISBridge
import Persistence

/// Offers free times to the waiting list: every round it reads the free times its entries wait for
/// (a time freed by a cancellation here or at the clinic, or a new day opening, shows up the same
/// way), offers each free time that fits to the first few waiting patients in order, and closes the
/// offers of times that stopped being free. A patient has one open offer at a time; an offer that
/// expires unanswered passes the time to the next ones. Booking an offer goes through the booking
/// desk like any booking: the first to confirm gets the time, the others are told it is gone.
public struct WaitlistMatcher: Sendable {
    let region: Region
    let database: any RegistryStore
    let rules: BookingRules
    /// How many waiting patients are offered one time at once.
    public var offersPerTime = 3
    /// How many waiting entries one patient may hold at once.
    public static let entriesPerPatient = 5
    public var offerLifetime: TimeInterval = 30 * 60

    public init(region: Region, database: any RegistryStore, rules: BookingRules, offerLifetime: TimeInterval = 30 * 60) {
        self.region = region
        self.database = database
        self.rules = rules
        self.offerLifetime = offerLifetime
    }

    /// One round; returns how many offers it made.
    @discardableResult
    public func run(now: Date) async -> Int {
        let today = BookingRules.day(now, TimeZone(identifier: "Europe/Moscow")!)
        guard let entries = try? await database.waitingEntries(today: today, now: now), !entries.isEmpty else { return 0 }
        let open = (try? await database.openOffers(now: now)) ?? []
        // A patient has one open offer at a time, whichever entry it came from.
        var busy = Set(open.map(\.patientKey))
        var made = 0
        for group in Dictionary(grouping: entries, by: { "\($0.clinicID)\u{1}\($0.specialtyID)" }).values.sorted(by: { $0[0].createdAt < $1[0].createdAt }) {
            made += await offer(to: group, open: open, busy: &busy, now: now)
        }
        return made
    }

    /// Offers the free times of one clinic's specialty to its waiting entries (oldest first).
    private func offer(to group: [WaitlistEntry], open: [WaitlistOffer], busy: inout Set<String>, now: Date) async -> Int {
        let first = group[0]
        guard let found = (try? await region.clinic(first.clinicID)) ?? nil else { return 0 }
        let (clinic, client) = found
        guard let doctors = try? await client.doctors(clinic: clinic.id, specialty: first.specialtyID) else { return 0 }
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        let wanted = group.contains { $0.doctorID == nil } ? Set(doctors.map(\.id)) : Set(group.compactMap(\.doctorID))
        var free: [(slot: MISSlot, doctor: MISDoctor)] = []
        for doctor in doctors where wanted.contains(doctor.id) {
            guard let slots = try? await client.availableAppointments(clinic: clinic.id, doctor: doctor.id, from: ProtocolTime.day(now, in: zone), to: rules.lastDay(now: now, zone: zone))
            else { continue }
            free += slots.filter { rules.isBookable(start: $0.start, zone: zone, now: now) }.map { ($0, doctor) }
        }
        let freeIDs = Set(free.map(\.slot.id))
        // Offered times that are no longer free (booked another way): their patients are told.
        for stale in Set(open.filter { $0.clinicID == clinic.id && wanted.contains($0.doctorID) && !freeIDs.contains($0.slotID) }.map(\.slotID)) {
            _ = try? await database.closeOffers(clinicID: clinic.id, slotID: stale, now: now)
            for offer in open where offer.slotID == stale { busy.remove(offer.patientKey) }
        }
        var made = 0
        for (slot, doctor) in free.sorted(by: { $0.slot.start < $1.slot.start }) where !open.contains(where: { $0.clinicID == clinic.id && $0.slotID == slot.id }) {
            let day = ProtocolTime.day(slot.start, in: zone)
            let fitting = group.filter { entry in
                !busy.contains(entry.patientKey) && (entry.doctorID == nil || entry.doctorID == doctor.id) && entry.fromDay <= day && day <= entry.toDay
                    && Self.fits(entry.partOfDay, slot.start, zone)
            }
            guard !fitting.isEmpty, let offered = try? await database.offeredEntries(clinicID: clinic.id, slotID: slot.id) else { continue }
            // One place per patient, whichever of their entries fit.
            var patients = Set<String>()
            let chosen = fitting.filter { !offered.contains($0.id) && patients.insert($0.patientKey).inserted }.prefix(offersPerTime)
            guard !chosen.isEmpty else { continue }
            let offers = chosen.map { entry in
                WaitlistOffer(id: SecureToken.hex(), entryID: entry.id, patientKey: entry.patientKey, clinicID: clinic.id, doctorID: doctor.id, slotID: slot.id,
                              start: slot.start, timeZone: clinic.timeZone, doctorName: doctor.name, specialtyName: entry.specialtyName, clinicName: clinic.shortName,
                              room: slot.room, createdAt: now, expiresAt: now.addingTimeInterval(offerLifetime))
            }
            guard (try? await database.makeOffers(offers, now: now)) != nil else { continue }
            try? await database.addStatistic(StatisticCount(basis: .shown, day: ProtocolTime.day(now, in: zone), clinic: clinic.id,
                                                            metric: StatisticMetric.waitlist.rawValue, key: "offered", value: offers.count))
            for entry in chosen { busy.insert(entry.patientKey) }
            made += offers.count
        }
        return made
    }

    /// Whether a time starting at `start` falls in the part of the day asked for (before or after 13:00, the clinic's clock).
    static func fits(_ part: WaitlistEntry.PartOfDay?, _ start: Date, _ zone: TimeZone) -> Bool {
        guard let part else { return true }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let hour = calendar.component(.hour, from: start)
        return part == .morning ? hour < 13 : hour >= 13
    }
}

/// Unguessable identifiers (offer links, device tokens): random bits from the system's generator, as hex.
public enum SecureToken {
    /// `words` × 64 random bits as lower-case hex (4: 256 bits, 64 digits).
    public static func hex(words: Int = 2) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<words).map { _ in
            let word = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - word.count) + word
        }.joined()
    }
}

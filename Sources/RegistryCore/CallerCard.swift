import Foundation
import MISBridge
import Persistence

/// What the operator sees of the caller they serve: the caller's appointments in every clinic with
/// a card (as the MIS holds them, whichever channel made them), and the contacts the registry
/// keeps. Every look is a line of the audit trail.
public struct CallerCard: Sendable {
    let region: Region
    let database: any RegistryStore
    let audit: AuditTrail

    public init(region: Region, database: any RegistryStore, audit: AuditTrail) {
        self.region = region
        self.database = database
        self.audit = audit
    }

    /// One appointment, with its clinic.
    public typealias Appointment = PatientAppointments.Appointment

    /// What the card shows.
    public struct View: Sendable {
        public let upcoming: [Appointment]
        public let past: [Appointment]
        public let clinics: [MISClinic]
        /// Clinics whose MIS did not answer: their appointments are missing.
        public let unanswered: [String]
        public let phone: String?
        public let email: String?
        /// nil: consent given on the site; `operator:<account>`: by phone.
        public let consentBy: String?
        /// The specialties of the caller's dispensary registrations, by name (their ids when no clinic names them).
        public let dispensary: [String]
        /// The registry's own bookings among the upcoming ones, by "clinic appointment": they can be
        /// moved here (one reschedule in the MIS); the others are cancelled and booked anew.
        public let movable: [String: String]
    }

    public func view(_ caller: CallerRecord, by account: StaffAccount, address: String?, now: Date) async throws -> View {
        try await audit.record(.patientCardViewed, by: AuditTrail.actor(account), patientKey: caller.key, address: address, now: now)
        let found = await PatientAppointments.gather(cards: caller.cards, in: region)
        let contact = try await database.contact(patientKey: caller.key)
        let movable = Dictionary(try await database.bookings(patientKey: caller.key)
            .filter { BookingDesk.isMovable($0, now: now) }
            .compactMap { entry in entry.appointmentID.map { ("\(entry.clinicID) \($0)", entry.requestID) } }, uniquingKeysWith: { first, _ in first })
        return View(upcoming: found.upcoming(now: now), past: found.past(now: now), clinics: found.clinics, unanswered: found.unanswered, phone: contact?.phone, email: contact?.email,
                    consentBy: contact?.consentBy, dispensary: await dispensaryNames(caller), movable: movable)
    }

    /// The caller's dispensary specialties as their attached clinic (or another clinic) names them.
    private func dispensaryNames(_ caller: CallerRecord) async -> [String] {
        guard !caller.dispensarySpecialtyIDs.isEmpty else { return [] }
        var names: [String: String] = [:]
        // Their own clinics first; a specialty none of them offers is named by any clinic of the region.
        let others = ((try? await region.clinics()) ?? []).map(\.clinic.id).sorted()
        for clinicID in [caller.attachedClinicID].compactMap({ $0 }) + caller.cards.keys.sorted() + others {
            guard let (_, client) = try? await region.clinic(clinicID), let specialties = try? await client.specialties(clinic: clinicID) else { continue }
            for specialty in specialties where names[specialty.id] == nil { names[specialty.id] = specialty.name }
            if caller.dispensarySpecialtyIDs.allSatisfy({ names[$0] != nil }) { break }
        }
        return caller.dispensarySpecialtyIDs.map { names[$0] ?? $0 }
    }

    /// The caller's upcoming appointment `id` in `clinic`, as that clinic's MIS holds it now; nil if
    /// it is not theirs, or not upcoming.
    public func upcoming(_ id: String, clinic clinicID: String, of caller: CallerRecord, now: Date) async throws(MISFailure) -> Appointment? {
        try await PatientAppointments.upcoming(id, clinic: clinicID, cards: caller.cards, in: region, now: now)
    }
}

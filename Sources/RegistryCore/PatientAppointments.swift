import Foundation
import MISBridge

/// A patient's appointments as the clinics' MISes hold them, whichever channel made them: each
/// clinic with a card is asked at once, and one that does not answer leaves a gap, not an error.
public struct PatientAppointments: Sendable {
    /// One appointment, with its clinic.
    public struct Appointment: Sendable {
        public let appointment: MISAppointment
        public let clinic: MISClinic
    }

    /// Every appointment found.
    public let all: [Appointment]
    /// The clinics that answered, by short name.
    public let clinics: [MISClinic]
    /// Clinics whose MIS did not answer: their appointments are missing.
    public let unanswered: [String]

    /// Active appointments from `now` on, soonest first.
    public func upcoming(now: Date) -> [Appointment] {
        all.filter { $0.appointment.status.isUpcoming && $0.appointment.start >= now }.sorted { $0.appointment.start < $1.appointment.start }
    }

    /// Everything else (past, cancelled, missed), latest first.
    public func past(now: Date) -> [Appointment] {
        all.filter { !($0.appointment.status.isUpcoming && $0.appointment.start >= now) }.sorted { $0.appointment.start > $1.appointment.start }
    }

    /// Asks each clinic of `cards` (the patient's MIS id by clinic) for the patient's appointments.
    public static func gather(cards: [String: String], in region: Region) async -> PatientAppointments {
        let lookups = await withTaskGroup(of: ClinicHistory.self) { group in
            for (clinicID, patientID) in cards {
                group.addTask {
                    do throws(MISFailure) {
                        guard let (clinic, client) = try await region.clinic(clinicID) else { return ClinicHistory(clinicID: clinicID, clinic: nil, appointments: []) }
                        return ClinicHistory(clinicID: clinicID, clinic: clinic, appointments: try await client.history(clinic: clinicID, patient: patientID))
                    } catch {
                        return ClinicHistory(clinicID: clinicID, clinic: nil, appointments: nil)
                    }
                }
            }
            var all: [ClinicHistory] = []
            for await lookup in group { all.append(lookup) }
            return all
        }
        let all = lookups.flatMap { lookup in (lookup.appointments ?? []).compactMap { item in lookup.clinic.map { Appointment(appointment: item, clinic: $0) } } }
        return PatientAppointments(all: all, clinics: lookups.compactMap(\.clinic).sorted { $0.shortName < $1.shortName },
                                   unanswered: lookups.filter { $0.appointments == nil }.map(\.clinicID).sorted())
    }

    /// The patient's upcoming appointment `id` in `clinicID`, as that clinic's MIS holds it now; nil
    /// if it is not theirs (no card there, or not in their history) or not upcoming.
    public static func upcoming(_ id: String, clinic clinicID: String, cards: [String: String], in region: Region, now: Date) async throws(MISFailure) -> Appointment? {
        guard let patientID = cards[clinicID], let (clinic, client) = try await region.clinic(clinicID) else { return nil }
        return try await client.history(clinic: clinicID, patient: patientID)
            .first { $0.id == id && $0.status.isUpcoming && $0.start >= now }
            .map { Appointment(appointment: $0, clinic: clinic) }
    }

    /// One clinic's answer (a plain struct crosses the task group).
    private struct ClinicHistory: Sendable {
        let clinicID: String
        let clinic: MISClinic?
        let appointments: [MISAppointment]?
    }
}

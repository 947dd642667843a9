import Booking
import Foundation
import MISBridge
import Persistence

/// Where a booking may be moved: the doctors of its specialty in its clinic, and the free times of
/// one of them (its own doctor unless another is chosen), the rules already applied.
public struct MoveChoices: Sendable {
    public let entry: LedgerEntry
    /// The specialty's doctors in the booking's clinic, its own doctor among them.
    public let doctors: [MISDoctor]
    /// The doctor of the booking (nil if the clinic no longer lists them).
    public let currentDoctorID: String?
    /// The free times of the doctor being looked at.
    public let schedule: DoctorSchedule

    /// The choices for moving `entry` to a time of `doctorID` (nil: the booking's own doctor); nil when
    /// the clinic or that doctor is not (or no longer) there. A MIS failure is thrown.
    public static func find(for entry: LedgerEntry, doctor doctorID: String?, in region: Region, rules: BookingRules, now: Date) async throws(MISFailure) -> MoveChoices? {
        guard let (_, client) = try await region.clinic(entry.clinicID) else { return nil }
        var ids = (doctor: entry.doctorID, specialty: entry.specialtyID)
        if ids.doctor == nil || ids.specialty == nil, let appointmentID = entry.appointmentID {
            // Booked before the ledger kept these: the clinic's history names them.
            let appointment = try await client.history(clinic: entry.clinicID, patient: entry.misPatientID).first { $0.id == appointmentID }
            ids = (appointment?.doctorID, appointment?.specialtyID)
        }
        guard let specialtyID = ids.specialty else { return nil }
        let doctors = try await client.doctors(clinic: entry.clinicID, specialty: specialtyID)
        guard let shown = doctorID ?? ids.doctor, doctors.contains(where: { $0.id == shown }),
            let schedule = try await DoctorSchedule.find(clinic: entry.clinicID, doctor: shown, in: region, rules: rules, now: now)
        else { return nil }
        return MoveChoices(entry: entry, doctors: doctors, currentDoctorID: ids.doctor, schedule: schedule)
    }
}

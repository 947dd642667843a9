import Booking
import Foundation
import MISBridge
import Persistence

/// Where an identified patient is most likely to go: the clinic they are attached to, their
/// district doctor there, and every clinic that has their card.
public struct PatientShortcuts: Sendable {
    public var attachedClinic: MISClinic?
    /// District doctors (участковый терапевт, педиатр, врач общей практики) of the patient's district
    /// who see patients of their age, with their specialty.
    public var districtDoctors: [(doctor: MISDoctor, specialty: MISSpecialty)] = []
    public var cardClinics: [MISClinic] = []
    /// A clinic's MIS did not answer, so the list may be short.
    public var incomplete = false

    /// Gathers the shortcuts through the region's (cached) reference data; a MIS that is down leaves gaps, not an error.
    public static func find(for patient: IdentifiedPatient, in region: Region, today: String) async -> PatientShortcuts {
        var shortcuts = PatientShortcuts()
        guard let clinics = try? await region.clinics() else {
            shortcuts.incomplete = true
            return shortcuts
        }
        shortcuts.cardClinics = clinics.map(\.clinic).filter { patient.cards[$0.id] != nil }
        guard let attachment = patient.attachment, let (clinic, client) = clinics.first(where: { $0.clinic.id == attachment.clinicID }) else { return shortcuts }
        shortcuts.attachedClinic = clinic
        guard let district = attachment.district else { return shortcuts }
        let age = BookingRules.age(birthDate: patient.birthDate, on: today)
        do {
            for specialty in try await client.specialties(clinic: clinic.id) where specialty.admits(age: age) {
                for doctor in try await client.doctors(clinic: clinic.id, specialty: specialty.id) where doctor.district == district {
                    shortcuts.districtDoctors.append((doctor, specialty))
                }
            }
        } catch {
            shortcuts.incomplete = true
        }
        return shortcuts
    }
}

extension MISSpecialty {
    /// Whether a patient of `age` is within the specialty's age limits.
    public func admits(age: Int) -> Bool {
        (minimumAge.map { age >= $0 } ?? true) && (maximumAge.map { age <= $0 } ?? true)
    }
}

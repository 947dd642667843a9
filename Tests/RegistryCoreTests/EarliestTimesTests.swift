import Booking
import Foundation
import MISBridge
import Persistence
import RegistryCore
import Testing

/// The earliest free times of a specialty across clinics, through the protocol (an in-memory gateway).
@Suite("Earliest free times")
struct EarliestTimesTests {
    @Test func theEarliestTimesOfEveryDoctorComeSoonestFirstWithTheRulesApplied() async throws {
        try await withCore { region, mis, database in
            let rules = BookingRules(), now = Date()
            let clinics = try await region.clinics()
            let result = await EarliestTimes.search(federalCode: "92", in: clinics, rules: rules, now: now, limit: 12, perDoctor: 2)
            #expect(!result.incomplete && !result.found.isEmpty && result.found.count <= 12)
            let starts = result.found.map(\.slot.start)
            #expect(starts == starts.sorted())
            #expect(result.found.allSatisfy { rules.isBookable(start: $0.slot.start, zone: $0.zone, now: now) && $0.specialty.federalCode == "92" })
            #expect(Dictionary(grouping: result.found, by: { $0.clinic.id + "/" + $0.doctor.id }).values.allSatisfy { $0.count <= 2 })
            // Nothing earlier exists: the first result is the earliest bookable surgeon time of the region.
            var earliest: Date?
            for (clinic, client) in clinics {
                for specialty in try await client.specialties(clinic: clinic.id) where specialty.federalCode == "92" {
                    for doctor in try await client.doctors(clinic: clinic.id, specialty: specialty.id) {
                        let zone = TimeZone(identifier: clinic.timeZone)!
                        let times = try await client.availableAppointments(clinic: clinic.id, doctor: doctor.id, from: ProtocolTime.day(now, in: zone), to: rules.lastDay(now: now, zone: zone), fresh: true)
                        for time in times where rules.isBookable(start: time.start, zone: zone, now: now) { earliest = min(earliest ?? time.start, time.start) }
                    }
                }
            }
            #expect(starts.first == earliest)
            // What the patient may not book is left out.
            let patient = try await identifiedAdult(region, mis, database)
            let desk = BookingDesk(region: region, database: database)
            let firstDay = BookingRules.day(starts[0], result.found[0].zone)
            let held = LedgerEntry(
                requestID: "held", patientKey: patient.key, clinicID: "101", slotID: "0", misPatientID: "x", appointmentID: "a", clinicName: "", clinicAddress: "",
                clinicPhone: "", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "", doctorName: "", room: "", start: starts[0], end: starts[0], day: firstDay,
                status: .active, channel: "internet", createdAt: now
            )
            let own = await EarliestTimes.search(federalCode: "92", in: clinics, rules: rules, now: now) { chosen in
                desk.refusal(for: chosen, patient: patient, ledger: [held], now: now) == nil
            }
            #expect(!own.found.isEmpty && own.found.allSatisfy { BookingRules.day($0.slot.start, $0.zone) != firstDay })
        }
    }
}

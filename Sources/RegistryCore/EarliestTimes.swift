import Booking
import Foundation
import MISBridge

/// The earliest free times of one specialty (by its federal code, the same in every clinic) across
/// the clinics a patient may use, the rules already applied, soonest first.
public struct EarliestTimes: Sendable {
    /// One free time found, with everything the result line and the check page need.
    public typealias Found = ChosenSlot

    public var found: [Found] = []
    /// A clinic or doctor did not answer, so earlier times may exist.
    public var incomplete = false
    /// How many doctors' free times were read (each one call to a MIS unless the bridge shares a
    /// recent answer).
    public var doctorsAsked = 0

    /// Searches `clinics` for the specialty `federalCode`: every doctor with free time, their times
    /// from now to the horizon's end (the same range the doctor's pages read, so the bridge shares one
    /// answer), at most `perDoctor` of each so that one doctor does not fill the list, `limit` in all.
    /// `admits` drops what the rules forbid this patient (the booking desk's check); the time rules
    /// themselves (lead time, horizon) are applied for everyone.
    public static func search(
        federalCode: String, in clinics: [(clinic: MISClinic, client: MISClient)], rules: BookingRules = BookingRules(), now: Date,
        limit: Int = 12, perDoctor: Int = 3, admits: @escaping @Sendable (ChosenSlot) -> Bool = { _ in true }
    ) async -> EarliestTimes {
        var result = EarliestTimes()
        var doctors: [(clinic: MISClinic, client: MISClient, specialty: MISSpecialty, doctor: MISDoctor)] = []
        for (clinic, client) in clinics {
            do {
                for specialty in try await client.specialties(clinic: clinic.id) where specialty.federalCode == federalCode && specialty.freeCount > 0 {
                    for doctor in try await client.doctors(clinic: clinic.id, specialty: specialty.id) where doctor.freeCount > 0 {
                        doctors.append((clinic, client, specialty, doctor))
                    }
                }
            } catch {
                result.incomplete = true
            }
        }
        result.doctorsAsked = doctors.count
        let found = await withTaskGroup(of: [Found]?.self) { group in
            for candidate in doctors {
                group.addTask {
                    let zone = TimeZone(identifier: candidate.clinic.timeZone) ?? .current
                    guard let slots = try? await candidate.client.availableAppointments(
                        clinic: candidate.clinic.id, doctor: candidate.doctor.id, from: ProtocolTime.day(now, in: zone), to: rules.lastDay(now: now, zone: zone)
                    ) else { return nil }
                    return Array(slots.lazy
                        .filter { rules.isBookable(start: $0.start, zone: zone, now: now) }
                        .map { ChosenSlot(clinic: candidate.clinic, client: candidate.client, doctor: candidate.doctor, specialty: candidate.specialty, slot: $0, zone: zone) }
                        .filter(admits)
                        .prefix(perDoctor))
                }
            }
            var all: [Found] = []
            var silent = false
            for await times in group {
                if let times { all += times } else { silent = true }
            }
            return (all, silent)
        }
        result.incomplete = result.incomplete || found.1
        result.found = Array(found.0.sorted { ($0.slot.start, $0.clinic.id, $0.doctor.id) < ($1.slot.start, $1.clinic.id, $1.doctor.id) }.prefix(limit))
        return result
    }

    /// The specialties offered in `clinics`, one per federal code (the name of the first clinic
    /// that lists it), by name; a clinic that does not answer is left out.
    public static func specialties(in clinics: [(clinic: MISClinic, client: MISClient)]) async -> [(federalCode: String, name: String)] {
        var names: [String: String] = [:]
        for (clinic, client) in clinics {
            guard let specialties = try? await client.specialties(clinic: clinic.id) else { continue }
            for specialty in specialties where names[specialty.federalCode] == nil { names[specialty.federalCode] = specialty.name }
        }
        return names.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
    }
}

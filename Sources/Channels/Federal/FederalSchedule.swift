import Booking
import Foundation
import MISBridge
import RegistryCore

/// What the door publishes of a clinic, as the federal rules allow: specialties anyone may book
/// that have a federal code, and their doctors' free times from now to 14 days ahead that the
/// booking rules let anyone book now. Counts and dates are worked out from those times, so that
/// every answer agrees with the others.
struct FederalSchedule: Sendable {
    /// The portal sees at most this many days ahead, today included.
    static let horizonDays = 14

    let region: Region
    let rules: BookingRules

    /// A published doctor with their free times.
    struct Doctor {
        let doctor: MISDoctor
        let slots: [MISSlot]
    }

    /// The clinic and its client; an unknown clinic is error 9, as a gateway answers it.
    func clinic(_ id: String) async throws -> (clinic: MISClinic, client: MISClient) {
        guard let found = try await region.clinic(id) else { throw MISFailure(.badRequest, message: "Неизвестная поликлиника") }
        return found
    }

    /// The specialties of the clinic the portal may book.
    func specialties(_ clinic: MISClinic, _ client: MISClient) async throws -> [MISSpecialty] {
        try await client.specialties(clinic: clinic.id).filter { $0.selfBooking == .open && !$0.federalCode.isEmpty }
    }

    /// A published specialty's doctors, each with the free times the portal may book.
    func doctors(_ clinic: MISClinic, _ client: MISClient, specialty: String, now: Date) async throws -> [Doctor] {
        guard try await specialties(clinic, client).contains(where: { $0.id == specialty }) else {
            throw MISFailure(.badRequest, message: "Эта специальность не публикуется для записи через портал")
        }
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        let (from, to) = window(zone: zone, now: now)
        var doctors: [Doctor] = []
        for doctor in try await client.doctors(clinic: clinic.id, specialty: specialty) {
            let slots = doctor.freeCount == 0 ? [] : try await client.availableAppointments(clinic: clinic.id, doctor: doctor.id, from: from, to: to)
                .filter { rules.isBookable(start: $0.start, zone: zone, now: now) }
            doctors.append(Doctor(doctor: doctor, slots: slots))
        }
        return doctors
    }

    /// One published doctor, looked up in the clinic's published specialties.
    func doctor(_ clinic: MISClinic, _ client: MISClient, id: String, now: Date) async throws -> Doctor {
        for specialty in try await specialties(clinic, client) {
            if let found = try await doctors(clinic, client, specialty: specialty.id, now: now).first(where: { $0.doctor.id == id }) { return found }
        }
        throw MISFailure(.badRequest, message: "Этот врач не публикуется для записи через портал")
    }

    /// The published doctor whose free time `slot` is, with the specialty, or nil.
    func owner(of slot: String, _ clinic: MISClinic, _ client: MISClient, now: Date) async throws -> (MISSpecialty, MISDoctor, MISSlot)? {
        for specialty in try await specialties(clinic, client) {
            for found in try await doctors(clinic, client, specialty: specialty.id, now: now) {
                if let time = found.slots.first(where: { $0.id == slot }) { return (specialty, found.doctor, time) }
            }
        }
        return nil
    }

    /// The first and last day the portal sees, in the clinic's zone.
    func window(zone: TimeZone, now: Date) -> (from: String, to: String) {
        (ProtocolTime.day(now, in: zone), min(ProtocolTime.day(now.addingTimeInterval(TimeInterval(Self.horizonDays - 1) * 86_400), in: zone), rules.lastDay(now: now, zone: zone)))
    }

    /// A doctor as the portal reads them: their published free times counted.
    static func published(_ found: Doctor, zone: TimeZone) -> MISDoctor {
        let days = found.slots.map { ProtocolTime.day($0.start, in: zone) }
        return MISDoctor(id: found.doctor.id, name: found.doctor.name, specialtyID: found.doctor.specialtyID, district: found.doctor.district, room: found.doctor.room,
                         freeCount: found.slots.count, nearestDate: days.min(), lastDate: days.max())
    }
}

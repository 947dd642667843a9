import Booking
import Foundation
import MISBridge

/// A doctor's free times from today to the horizon's end, grouped by the clinic's days, holding only
/// times the rules let a patient book now (far enough ahead, within the horizon), with how current
/// the shared free times behind them are.
public struct DoctorSchedule: Sendable {
    /// One day of the clinic's calendar with free times.
    public struct Day: Sendable {
        /// `YYYY-MM-DD` on the clinic's calendar.
        public let key: String
        /// Midday of the day in the clinic's zone.
        public let midday: Date
        public var times: [MISSlot]
    }

    public let clinic: MISClinic
    public let doctor: MISDoctor
    public let specialty: MISSpecialty
    public let zone: TimeZone
    /// The first and last day covered (`YYYY-MM-DD`, the clinic's calendar).
    public let from: String
    public let to: String
    public let days: [Day]
    /// Read before the times: a change in between leaves something built on them stale, never wrongly current.
    public let stamp: FreeTimesStamp

    /// The schedule of `doctorID` in clinic `clinicID`, as of `now`; nil when the region has no such
    /// clinic or the clinic no such doctor. A MIS failure is thrown.
    public static func find(clinic clinicID: String, doctor doctorID: String, in region: Region, rules: BookingRules, now: Date) async throws(MISFailure) -> DoctorSchedule? {
        guard let (clinic, client) = try await region.clinic(clinicID) else { return nil }
        guard let (doctor, specialty) = try await region.doctor(doctorID, clinic: clinicID, client: client) else { return nil }
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        let from = ProtocolTime.day(now, in: zone)
        let to = rules.lastDay(now: now, zone: zone)
        let stamp = client.freeTimesStamp(clinic: clinicID, doctor: doctorID, from: from, to: to)
        let slots = try await client.availableAppointments(clinic: clinicID, doctor: doctorID, from: from, to: to)
            .filter { rules.isBookable(start: $0.start, zone: zone, now: now) }
        return DoctorSchedule(clinic: clinic, doctor: doctor, specialty: specialty, zone: zone, from: from, to: to, days: group(slots, zone: zone), stamp: stamp)
    }

    /// Times grouped by the clinic's day, counted as whole days since 1970 on the clinic's clock.
    private static func group(_ slots: [MISSlot], zone: TimeZone) -> [Day] {
        var days: [Day] = []
        var currentDay = Int.min
        for slot in slots {
            let offset = Double(zone.secondsFromGMT(for: slot.start))
            let day = Int(((slot.start.timeIntervalSince1970 + offset) / 86_400).rounded(.down))
            if day == currentDay {
                days[days.count - 1].times.append(slot)
            } else {
                currentDay = day
                days.append(Day(key: ProtocolTime.day(slot.start, in: zone), midday: Date(timeIntervalSince1970: Double(day) * 86_400 + 12 * 3_600 - offset), times: [slot]))
            }
        }
        return days
    }
}

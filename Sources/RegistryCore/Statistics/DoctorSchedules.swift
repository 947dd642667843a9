import Foundation
import MISBridge

/// Doctors' schedules for a week or a month as a clinic prints them: for each doctor, each day of
/// the period with its slots — free, held (by whom, with the ticket) or closed. Read from the clinic's
/// MIS (GetSchedule, at most 31 days); it names patients, so the pages showing it audit every print.
public struct DoctorSchedules: Sendable {
    /// One slot and, when held, the booking holding it.
    public struct Slot: Sendable {
        public let start: Date
        public let end: Date
        public let state: MISScheduleSlot.State
        public let holder: MISScheduleBooking?
    }

    /// One doctor's days (only those with slots), in order.
    public struct Sheet: Sendable {
        public let doctor: ClinicDayList.Doctor
        public let days: [(day: String, slots: [Slot])]
    }

    /// The longest period a print covers (GetSchedule's limit).
    public static let maximumDays = 31

    public let clinic: MISClinic
    public let from: String
    public let to: String
    /// One sheet a doctor, by name.
    public let sheets: [Sheet]

    /// How many patients the sheets name (held slots).
    public var patients: Int { sheets.reduce(0) { $0 + $1.days.reduce(0) { $0 + $1.slots.filter { $0.holder != nil }.count } } }

    /// Which doctors: one, those of a specialty, or every doctor of the clinic.
    public enum Doctors: Sendable, Equatable {
        case all
        case doctor(String)
        case specialty(String)
    }

    /// Reads `from`…`to` (at most `maximumDays`, the caller checks) of `clinicID`; nil when the region
    /// has no such clinic, or no doctor of it is the one (or of the specialty) asked for.
    public static func read(region: Region, clinic clinicID: String, from: String, to: String, doctors: Doctors) async throws(MISFailure) -> DoctorSchedules? {
        guard let (clinic, client) = try await region.clinic(clinicID) else { return nil }
        let doctorID: String? = if case .doctor(let id) = doctors { id } else { nil }
        let schedule: [MISScheduleDoctor]
        do {
            schedule = try await client.schedule(clinic: clinicID, doctor: doctorID, from: from, to: to)
        } catch where doctorID != nil && error.kind == .protocolError(.badRequest) {
            return nil  // not a doctor of this clinic
        }
        let chosen = schedule.filter { scheduled in
            if case .specialty(let specialty) = doctors { return scheduled.specialtyID == specialty }
            return true
        }
        guard !chosen.isEmpty else { return nil }
        let sheets = chosen.map { scheduled in
            let doctor = ClinicDayList.Doctor(scheduled)
            let zone = TimeZone(identifier: clinic.timeZone) ?? .current
            var days: [(day: String, slots: [Slot])] = []
            for slot in scheduled.slots {
                let day = ProtocolTime.day(slot.start, in: zone)
                let held = slot.bookings.last { $0.status != .cancelled }
                let entry = Slot(start: slot.start, end: slot.end, state: slot.state, holder: held)
                if days.last?.day == day { days[days.count - 1].slots.append(entry) } else { days.append((day, [entry])) }
            }
            return Sheet(doctor: doctor, days: days)
        }.sorted { ($0.doctor.name, $0.doctor.id) < ($1.doctor.name, $1.doctor.id) }
        return DoctorSchedules(clinic: clinic, from: from, to: to, sheets: sheets)
    }
}

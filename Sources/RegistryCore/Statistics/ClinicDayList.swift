import Foundation
import MISBridge

/// A clinic's day as its front desk reads it: every booking of the day — of one doctor or of all —
/// in time order, with the patient, how and by whom it was made, and how it stands; read from the
/// clinic's MIS (GetSchedule). It holds personal data: only a clinic's own staff see it, and the
/// pages showing it audit every look.
public struct ClinicDayList: Sendable {
    /// One booking of the day with its doctor and time.
    public struct Entry: Sendable {
        public let doctor: Doctor
        public let start: Date
        public let end: Date
        public let room: String
        public let booking: MISScheduleBooking
    }

    /// A doctor of the clinic, as the list names them.
    public struct Doctor: Sendable, Equatable {
        public let id: String
        public let name: String
        public let specialtyID: String
        public let specialty: String
        public let room: String

        init(_ scheduled: MISScheduleDoctor) {
            id = scheduled.id
            name = scheduled.name
            specialtyID = scheduled.specialtyID
            specialty = scheduled.specialtyName
            room = scheduled.room
        }
    }

    public let clinic: MISClinic
    /// `YYYY-MM-DD`, the clinic's own day.
    public let day: String
    /// Every doctor of the clinic on the MIS's list, by name (for choosing one).
    public let doctors: [Doctor]
    /// The doctor the list was narrowed to, if any.
    public let doctor: Doctor?
    /// The bookings, by time, then doctor, then when they were made.
    public let entries: [Entry]

    /// How many patients the list names who still hold their time (cancelled bookings left out).
    public var patients: Int { entries.filter { $0.booking.status != .cancelled }.count }

    /// Reads the day of `clinicID` (nil when the region has no such clinic). `doctor`, when given,
    /// must be one of the clinic's (else nil too).
    public static func read(region: Region, clinic clinicID: String, day: String, doctor doctorID: String?) async throws(MISFailure) -> ClinicDayList? {
        guard let (clinic, client) = try await region.clinic(clinicID) else { return nil }
        let schedule = try await client.schedule(clinic: clinicID, doctor: nil, from: day, to: day)
        let doctors = schedule.map(Doctor.init)
            .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        let chosen = doctorID.flatMap { id in doctors.first { $0.id == id } }
        if doctorID != nil && chosen == nil { return nil }
        var entries: [Entry] = []
        for scheduled in schedule where chosen == nil || scheduled.id == chosen?.id {
            let doctor = Doctor(scheduled)
            for slot in scheduled.slots {
                for booking in slot.bookings {
                    entries.append(Entry(doctor: doctor, start: slot.start, end: slot.end, room: slot.room, booking: booking))
                }
            }
        }
        entries.sort { ($0.start, $0.doctor.name, $0.booking.createdAt) < ($1.start, $1.doctor.name, $1.booking.createdAt) }
        return ClinicDayList(clinic: clinic, day: day, doctors: doctors, doctor: chosen, entries: entries)
    }
}

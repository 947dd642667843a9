import Foundation

/// What a patient waits for: a specialty (or one doctor) in a clinic, between two days, optionally
/// in one part of the day.
public struct WaitlistEntry: Sendable, Equatable {
    public enum Status: String, Sendable {
        case waiting, booked, left, expired
    }

    /// Before or after 13:00 on the clinic's clock.
    public enum PartOfDay: String, Sendable, CaseIterable {
        case morning, afternoon
    }

    public let id: String
    public let patientKey: String
    public let clinicID: String
    public let specialtyID: String
    public let specialtyName: String
    public let doctorID: String?
    public let doctorName: String?
    /// `YYYY-MM-DD`, the clinic's calendar, both included.
    public let fromDay: String
    public let toDay: String
    public let partOfDay: PartOfDay?
    public var status: Status
    public let createdAt: Date

    public init(id: String, patientKey: String, clinicID: String, specialtyID: String, specialtyName: String, doctorID: String?, doctorName: String?,
                fromDay: String, toDay: String, partOfDay: PartOfDay?, status: Status = .waiting, createdAt: Date) {
        self.id = id
        self.patientKey = patientKey
        self.clinicID = clinicID
        self.specialtyID = specialtyID
        self.specialtyName = specialtyName
        self.doctorID = doctorID
        self.doctorName = doctorName
        self.fromDay = fromDay
        self.toDay = toDay
        self.partOfDay = partOfDay
        self.status = status
        self.createdAt = createdAt
    }
}

/// A free time offered to one waiting patient, until it expires or someone takes it.
public struct WaitlistOffer: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Waiting for the patient's answer.
        case open
        /// The patient booked it.
        case taken
        /// Someone else took the time (or it stopped being free).
        case gone
        case expired
    }

    /// Also the unguessable part of the offer's link.
    public let id: String
    public let entryID: String
    public let patientKey: String
    public let clinicID: String
    public let doctorID: String
    public let slotID: String
    public let start: Date
    public let timeZone: String
    public let doctorName: String
    public let specialtyName: String
    public let clinicName: String
    public let room: String
    public var status: Status
    public let createdAt: Date
    public let expiresAt: Date

    public init(id: String, entryID: String, patientKey: String, clinicID: String, doctorID: String, slotID: String, start: Date, timeZone: String,
                doctorName: String, specialtyName: String, clinicName: String, room: String, status: Status = .open, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.entryID = entryID
        self.patientKey = patientKey
        self.clinicID = clinicID
        self.doctorID = doctorID
        self.slotID = slotID
        self.start = start
        self.timeZone = timeZone
        self.doctorName = doctorName
        self.specialtyName = specialtyName
        self.clinicName = clinicName
        self.room = room
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Why a patient could not join the waiting list.
public enum WaitlistRefusal: Error, Equatable, Sendable {
    /// They already wait for the same clinic, specialty and doctor on some of the same days.
    case duplicate
    /// They already have as many waiting entries as a patient may.
    case full
}

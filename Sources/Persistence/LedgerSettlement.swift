import Foundation

/// What a clinic decided about a booking it approves, or did to one it lost from its schedule.
public enum LedgerSettlement: Sendable, Equatable {
    /// The reservation is an appointment now (of this card, when the ledger did not know one).
    case confirmed(misPatientID: String?)
    /// The reservation was refused, or the displaced booking cancelled, with a sentence for the patient
    /// and the reason's code (`MISRefusalReason`), when known.
    case refused(reason: String, code: String? = nil)
    /// The clinic closed its time: it holds none until the clinic moves or cancels it.
    case displaced(reason: String?)

    /// The ledger's side of it: from which states, to which, and the patient's message.
    struct Change {
        let from: [LedgerEntry.Status]
        let to: LedgerEntry.Status
        let misPatientID: String?
        let reason: String?
        let message: OutboxMessage.Kind
        let refusal: String?
    }

    var ledgerChange: Change {
        switch self {
        case .confirmed(let card): Change(from: [.awaiting], to: .active, misPatientID: card, reason: nil, message: .clinicConfirmed, refusal: nil)
        case .refused(let reason, let code): Change(from: [.awaiting, .displaced], to: .cancelled, misPatientID: nil, reason: reason, message: .clinicRefused, refusal: code)
        case .displaced(let reason): Change(from: [.active, .awaiting], to: .displaced, misPatientID: nil, reason: reason, message: .displaced, refusal: nil)
        }
    }
}

/// Where a clinic moved a booking: its new time, the doctor when that changed, and what a displaced
/// booking becomes again (nil: active).
public struct LedgerMove: Sendable, Equatable {
    public let start: Date
    public let end: Date
    /// Clinic-local, `YYYY-MM-DD`.
    public let day: String
    /// The slot it holds now, when known.
    public let slotID: String?
    public let doctorID: String?
    public let doctorName: String?
    public let room: String?
    public let status: LedgerEntry.Status?

    public init(start: Date, end: Date, day: String, slotID: String? = nil, doctorID: String? = nil, doctorName: String? = nil, room: String? = nil, status: LedgerEntry.Status? = nil) {
        self.slotID = slotID
        self.start = start
        self.end = end
        self.day = day
        self.doctorID = doctorID
        self.doctorName = doctorName
        self.room = room
        self.status = status
    }
}

import Foundation

/// A clinic's slots with every booking made for them, as GetSchedule tells the clinic's own staff:
/// whole doctors, and where a gateway stopped early (`next`), the doctor to continue after.
public struct MISSchedule: Sendable, Equatable {
    public let doctors: [MISScheduleDoctor]
    /// Nil when the answer is complete; otherwise the last doctor's id, to ask again with `after`.
    public let next: String?

    public init(doctors: [MISScheduleDoctor], next: String?) {
        self.doctors = doctors
        self.next = next
    }
}

/// One doctor of a schedule, with their slots in time order.
public struct MISScheduleDoctor: Sendable, Equatable {
    public let id: String
    public let name: String
    public let specialtyID: String
    public let specialtyName: String
    public let room: String
    public let slots: [MISScheduleSlot]

    public init(id: String, name: String, specialtyID: String, specialtyName: String, room: String, slots: [MISScheduleSlot]) {
        self.id = id
        self.name = name
        self.specialtyID = specialtyID
        self.specialtyName = specialtyName
        self.room = room
        self.slots = slots
    }
}

/// One slot of a schedule and every booking made for it, oldest first.
public struct MISScheduleSlot: Sendable, Equatable {
    /// Whether the slot can be booked, is held, or has no reception.
    public enum State: String, Sendable, CaseIterable {
        /// Nobody holds it (a past free slot stays free: nobody came).
        case free
        /// Held by an active, reserved, visited or missed booking.
        case booked
        /// No reception: the doctor's day closed, a holiday.
        case closed
    }

    public let id: String
    public let start: Date
    public let end: Date
    public let room: String
    public let state: State
    public let bookings: [MISScheduleBooking]

    public init(id: String, start: Date, end: Date, room: String, state: State, bookings: [MISScheduleBooking]) {
        self.id = id
        self.start = start
        self.end = end
        self.room = room
        self.state = state
        self.bookings = bookings
    }
}

/// One booking of a slot: who it is for, through which channel and by whom it was made, and what
/// became of it. Personal data: shown to the clinic's staff only.
public struct MISScheduleBooking: Sendable, Equatable {
    public let appointmentID: String
    /// The number the patient shows at the desk; nil when the MIS gave none a patient could read.
    public let ticket: String?
    /// The card; nil for a reservation made with a person's own data (the name is theirs).
    public let patientID: String?
    /// Surname, first name and patronymic.
    public let patientName: String
    /// `YYYY-MM-DD`.
    public let birthDate: String
    public let phone: String?
    public let channel: MISChannel
    public let actor: String?
    public let createdAt: Date
    public let status: MISAppointmentStatus
    public let cancelledBy: MISChannel?
    public let cancelledAt: Date?
    public let cancelReason: String?
    public let cancelledActor: String?

    public init(appointmentID: String, ticket: String?, patientID: String?, patientName: String, birthDate: String, phone: String?, channel: MISChannel,
                actor: String?, createdAt: Date, status: MISAppointmentStatus, cancelledBy: MISChannel? = nil, cancelledAt: Date? = nil,
                cancelReason: String? = nil, cancelledActor: String? = nil) {
        self.appointmentID = appointmentID
        self.ticket = ticket
        self.patientID = patientID
        self.patientName = patientName
        self.birthDate = birthDate
        self.phone = phone
        self.channel = channel
        self.actor = actor
        self.createdAt = createdAt
        self.status = status
        self.cancelledBy = cancelledBy
        self.cancelledAt = cancelledAt
        self.cancelReason = cancelReason
        self.cancelledActor = cancelledActor
    }
}

// MARK: Writing and reading

extension MISSchedule {
    public func write(into writer: inout XMLWriter, zone: TimeZone) {
        writer.start("schedule", ["complete": next == nil ? "true" : "false", "next": next])
        for doctor in doctors { doctor.write(into: &writer, zone: zone) }
        writer.end()
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISSchedule {
        let complete = try fields.flag("complete")
        let next = try fields.optionalIdentifier("next")
        guard complete == (next == nil) else { throw MISFailure(.badAnswer, detail: "<schedule> complete and next disagree") }
        return MISSchedule(doctors: try fields.list("doctor", MISScheduleDoctor.read), next: next)
    }
}

extension MISScheduleDoctor {
    public func write(into writer: inout XMLWriter, zone: TimeZone) {
        writer.start("doctor", ["id": id, "name": name, "specialty": specialtyID, "specialtyName": specialtyName, "room": room])
        for slot in slots { slot.write(into: &writer, zone: zone) }
        writer.end()
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISScheduleDoctor {
        MISScheduleDoctor(
            id: try fields.identifier("id"), name: try fields.string("name"), specialtyID: try fields.identifier("specialty"),
            specialtyName: try fields.string("specialtyName"), room: try fields.string("room", maximumLength: AnswerLimits.identifier),
            slots: try fields.list("slot", MISScheduleSlot.read)
        )
    }
}

extension MISScheduleSlot {
    public func write(into writer: inout XMLWriter, zone: TimeZone) {
        writer.start("slot", ["id": id, "start": ProtocolTime.string(start, in: zone), "end": ProtocolTime.string(end, in: zone), "room": room, "state": state.rawValue])
        for booking in bookings { booking.write(into: &writer, zone: zone) }
        writer.end()
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISScheduleSlot {
        let start = try fields.date("start"), end = try fields.date("end")
        guard end > start else { throw MISFailure(.badAnswer, detail: "<slot> ends before it starts") }
        let state = try fields.enumeration("state", as: State.self)
        let bookings = try fields.list("booking", MISScheduleBooking.read)
        let holders = bookings.filter(\.status.holdsSlot).count
        guard holders == (state == .booked ? 1 : 0) else {
            throw MISFailure(.badAnswer, detail: "<slot> state \(state.rawValue) with \(holders) bookings holding it")
        }
        return MISScheduleSlot(id: try fields.identifier("id"), start: start, end: end, room: try fields.string("room", maximumLength: AnswerLimits.identifier),
                               state: state, bookings: bookings)
    }
}

extension MISScheduleBooking {
    public func write(into writer: inout XMLWriter, zone: TimeZone) {
        writer.empty("booking", [
            "appointment": appointmentID, "ticket": ticket, "patient": patientID, "patientName": patientName, "birthDate": birthDate, "phone": phone,
            "channel": channel.rawValue, "actor": actor, "createdAt": ProtocolTime.string(createdAt, in: zone), "status": status.rawValue,
            "cancelledBy": cancelledBy?.rawValue, "cancelledAt": cancelledAt.map { ProtocolTime.string($0, in: zone) }, "cancelReason": cancelReason,
            "cancelledActor": cancelledActor,
        ])
    }

    /// What identifies the booking (ids, times, status, channel) must be right; what only describes it
    /// (ticket, phone, reason, actors) is left out when outside the limits, as in an appointment.
    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISScheduleBooking {
        guard let birthDate = try fields.day("birthDate") else { throw MISFailure(.badAnswer, detail: "<booking> lacks birthDate") }
        let ticket = fields.node.attribute("ticket").flatMap { AnswerLimits.isTicket($0) ? $0 : nil }
        return MISScheduleBooking(
            appointmentID: try fields.identifier("appointment"), ticket: ticket, patientID: try fields.optionalIdentifier("patient"),
            patientName: try fields.string("patientName"), birthDate: birthDate, phone: fields.described("phone", maximumLength: AnswerLimits.identifier),
            channel: try fields.enumeration("channel", as: MISChannel.self), actor: fields.described("actor", maximumLength: 64),
            createdAt: try fields.date("createdAt"), status: try fields.enumeration("status", as: MISAppointmentStatus.self),
            cancelledBy: fields.described("cancelledBy", maximumLength: 32).flatMap(MISChannel.init(rawValue:)),
            cancelledAt: try fields.optionalDate("cancelledAt"), cancelReason: fields.described("cancelReason"),
            cancelledActor: fields.described("cancelledActor", maximumLength: 64)
        )
    }
}

import Foundation

/// A district of the region.
public struct MISDistrict: Sendable, Equatable {
    public let id: String
    public let name: String
    public let okato: String

    public init(id: String, name: String, okato: String) {
        self.id = id
        self.name = name
        self.okato = okato
    }
}

/// A clinic (ЛПУ) served by a gateway.
public struct MISClinic: Sendable, Equatable {
    public let id: String
    public let districtID: String
    public let fullName: String
    public let shortName: String
    public let address: String
    public let phone: String
    /// The FRMO-style OID of the clinic.
    public let oid: String
    /// IANA time zone of the clinic, e.g. `Asia/Yekaterinburg`.
    public let timeZone: String
    /// Channels whose bookings the clinic approves before they become appointments (they are made
    /// as reservations); the federal portal's always are.
    public let approves: [MISChannel]

    public init(id: String, districtID: String, fullName: String, shortName: String, address: String, phone: String, oid: String, timeZone: String, approves: [MISChannel] = []) {
        self.approves = approves
        self.id = id
        self.districtID = districtID
        self.fullName = fullName
        self.shortName = shortName
        self.address = address
        self.phone = phone
        self.oid = oid
        self.timeZone = timeZone
    }
}

/// Who may book a specialty without the clinic's help.
public enum MISSelfBooking: String, Sendable, CaseIterable {
    /// Everyone (district therapist, paediatrician, GP, dentist, surgeon, obstetrician-gynaecologist).
    case open
    /// Only patients under dispensary observation with this specialty.
    case dispensary
    /// Only with a referral.
    case referral
}

/// A specialty (profile) of a clinic, with its free tickets.
public struct MISSpecialty: Sendable, Equatable {
    public let id: String
    public let name: String
    public let federalCode: String
    public let freeCount: Int
    /// First and last day with a free ticket, `YYYY-MM-DD` in the clinic's zone.
    public let nearestDate: String?
    public let lastDate: String?
    public let selfBooking: MISSelfBooking
    public let minimumAge: Int?
    public let maximumAge: Int?
    /// Only patients attached to the clinic may book it (district doctors).
    public let attachedOnly: Bool

    public init(id: String, name: String, federalCode: String, freeCount: Int, nearestDate: String?, lastDate: String?, selfBooking: MISSelfBooking, minimumAge: Int?, maximumAge: Int?, attachedOnly: Bool = false) {
        self.attachedOnly = attachedOnly
        self.id = id
        self.name = name
        self.federalCode = federalCode
        self.freeCount = freeCount
        self.nearestDate = nearestDate
        self.lastDate = lastDate
        self.selfBooking = selfBooking
        self.minimumAge = minimumAge
        self.maximumAge = maximumAge
    }
}

/// A doctor of one specialty in a clinic.
public struct MISDoctor: Sendable, Equatable {
    public let id: String
    public let name: String
    public let specialtyID: String
    /// District (участок) number, for district doctors.
    public let district: String?
    public let room: String
    public let freeCount: Int
    public let nearestDate: String?
    public let lastDate: String?

    public init(id: String, name: String, specialtyID: String, district: String?, room: String, freeCount: Int, nearestDate: String?, lastDate: String?) {
        self.id = id
        self.name = name
        self.specialtyID = specialtyID
        self.district = district
        self.room = room
        self.freeCount = freeCount
        self.nearestDate = nearestDate
        self.lastDate = lastDate
    }
}

/// A day with free tickets.
public struct MISAvailableDate: Sendable, Equatable {
    public let day: String
    public let freeCount: Int

    public init(day: String, freeCount: Int) {
        self.day = day
        self.freeCount = freeCount
    }
}

/// A free time of a doctor.
public struct MISSlot: Sendable, Equatable {
    public let id: String
    public let start: Date
    public let end: Date
    public let room: String
    public let address: String

    public init(id: String, start: Date, end: Date, room: String, address: String) {
        self.id = id
        self.start = start
        self.end = end
        self.room = room
        self.address = address
    }
}

/// What a patient gives to be found in a MIS.
public struct MISPatientQuery: Sendable, Equatable {
    /// The policy as the protocol carries it: 16 digits, or series and number.
    public let policy: String
    /// `YYYY-MM-DD`.
    public let birthDate: String
    public let document: String?
    public let snils: String?
    public let lastName: String?

    public init(policy: String, birthDate: String, document: String? = nil, snils: String? = nil, lastName: String? = nil) {
        self.policy = policy
        self.birthDate = birthDate
        self.document = document
        self.snils = snils
        self.lastName = lastName
    }
}

/// The one patient card a MIS found.
public struct MISPatient: Sendable, Equatable {
    public let id: String
    public let lastName: String
    public let firstName: String
    public let middleName: String
    public let birthDate: String
    /// `male` or `female`.
    public let sex: String
    public let attachedClinicID: String?
    public let attachedDistrict: String?
    /// Specialties the patient is under dispensary observation with.
    public let dispensarySpecialtyIDs: [String]

    public init(id: String, lastName: String, firstName: String, middleName: String, birthDate: String, sex: String, attachedClinicID: String?, attachedDistrict: String?, dispensarySpecialtyIDs: [String]) {
        self.id = id
        self.lastName = lastName
        self.firstName = firstName
        self.middleName = middleName
        self.birthDate = birthDate
        self.sex = sex
        self.attachedClinicID = attachedClinicID
        self.attachedDistrict = attachedDistrict
        self.dispensarySpecialtyIDs = dispensarySpecialtyIDs
    }
}

/// A patient's card in one clinic: what a gateway-wide CheckPatient answers for each clinic it serves.
public struct MISClinicCard: Sendable, Equatable {
    public let clinic: String
    public let patient: MISPatient

    public init(clinic: String, patient: MISPatient) {
        self.clinic = clinic
        self.patient = patient
    }
}

/// How the call centre looks a caller up in a MIS: by one key at a time.
public enum MISPersonQuery: Sendable, Equatable {
    /// The unified number (ЕНП) or an old policy's series and number, as the protocol carries a policy.
    case policy(String)
    /// 11 digits.
    case snils(String)
    /// An identity document's series and number (a passport's), as typed.
    case document(String)
    /// Surname, first name and birth date (`YYYY-MM-DD`).
    case name(lastName: String, firstName: String, birthDate: String)
}

/// A person a search found, with what tells namesakes apart, and their card in each clinic.
public struct MISPerson: Sendable, Equatable {
    public let policy: String
    public let lastName: String
    public let firstName: String
    public let middleName: String
    /// `YYYY-MM-DD`.
    public let birthDate: String
    /// `male` or `female`.
    public let sex: String
    public let address: String
    /// The identity document with all but its first two and last three characters hidden.
    public let maskedDocument: String
    public let attachedClinicID: String?
    public let attachedDistrict: String?
    public let cards: [MISPersonCard]
    /// Specialties the person is under dispensary observation with.
    public let dispensarySpecialtyIDs: [String]

    public init(policy: String, lastName: String, firstName: String, middleName: String, birthDate: String, sex: String, address: String,
                maskedDocument: String, attachedClinicID: String?, attachedDistrict: String?, cards: [MISPersonCard], dispensarySpecialtyIDs: [String] = []) {
        self.policy = policy
        self.lastName = lastName
        self.firstName = firstName
        self.middleName = middleName
        self.birthDate = birthDate
        self.sex = sex
        self.address = address
        self.maskedDocument = maskedDocument
        self.attachedClinicID = attachedClinicID
        self.attachedDistrict = attachedDistrict
        self.cards = cards
        self.dispensarySpecialtyIDs = dispensarySpecialtyIDs
    }
}

/// A person's card in one clinic: the patient id to book with there.
public struct MISPersonCard: Sendable, Equatable {
    public let clinic: String
    public let patientID: String

    public init(clinic: String, patientID: String) {
        self.clinic = clinic
        self.patientID = patientID
    }
}

/// What a search found: at most `MISPeople.limit` people, and whether there were more.
public struct MISPeople: Sendable, Equatable {
    /// A gateway answers at most this many people.
    public static let limit = 10

    public let people: [MISPerson]
    /// More people matched than were sent: the caller should be asked for another key.
    public let more: Bool

    public init(people: [MISPerson], more: Bool) {
        self.people = people
        self.more = more
    }
}

/// A booking request. `requestID` makes it idempotent: the same id returns the same appointment.
public struct MISBookingRequest: Sendable, Equatable {
    public let slotID: String
    /// The patient's card; nil when the booking carries the person's own data (`person`) instead.
    public let patientID: String?
    /// The person as the caller knows them, for a reservation made without a card.
    public let person: MISPersonDetails?
    /// Make a reservation (held until the clinic confirms it) rather than an appointment.
    public let reserve: Bool
    public let channel: MISChannel
    public let requestID: String
    /// For a reschedule: the appointment this one replaces, cancelled in the same transaction.
    public let previousAppointmentID: String?
    public let referral: String?
    /// Who acts within the channel (`operator:<account>`, `kiosk:<id>`, `patient`).
    public let actor: String?

    public init(slotID: String, patientID: String, channel: MISChannel, requestID: String, previousAppointmentID: String? = nil, referral: String? = nil, actor: String? = nil, reserve: Bool = false) {
        self.init(slotID: slotID, patientID: patientID, person: nil, channel: channel, requestID: requestID, previousAppointmentID: previousAppointmentID,
                  referral: referral, actor: actor, reserve: reserve)
    }

    /// A reservation for a person the caller knows no card of.
    public init(slotID: String, person: MISPersonDetails, channel: MISChannel, requestID: String, actor: String? = nil) {
        self.init(slotID: slotID, patientID: nil, person: person, channel: channel, requestID: requestID, previousAppointmentID: nil, referral: nil, actor: actor, reserve: true)
    }

    init(slotID: String, patientID: String?, person: MISPersonDetails?, channel: MISChannel, requestID: String, previousAppointmentID: String?, referral: String?, actor: String?, reserve: Bool) {
        self.slotID = slotID
        self.patientID = patientID
        self.person = person
        self.reserve = reserve
        self.channel = channel
        self.requestID = requestID
        self.previousAppointmentID = previousAppointmentID
        self.referral = referral
        self.actor = actor
    }
}

/// The state of an appointment.
public enum MISAppointmentStatus: String, Sendable, CaseIterable {
    case active, visited, missed, cancelled
    /// Holds its time until the clinic confirms it (it becomes active) or refuses it (cancelled).
    case reserved
    /// Fell out of the schedule (the clinic closed the day): holds no time, listed until the clinic
    /// moves it to another time or cancels it.
    case displaced

    /// Whether the appointment is still to take place: active, or reserved awaiting the clinic.
    public var isUpcoming: Bool { self == .active || self == .reserved }

    /// Whether a booking in this state holds its slot.
    public var holdsSlot: Bool {
        switch self {
        case .active, .visited, .missed, .reserved: true
        case .cancelled, .displaced: false
        }
    }
}

/// An appointment as the MIS holds it.
public struct MISAppointment: Sendable, Equatable {
    public let id: String
    /// The number the patient shows at the desk; nil when the MIS gave none a patient could read.
    public let ticket: String?
    public let clinicID: String
    public let slotID: String
    public let doctorID: String
    public let doctorName: String
    public let specialtyID: String
    public let specialtyName: String
    public let start: Date
    public let end: Date
    public let room: String
    public let status: MISAppointmentStatus
    public let channel: MISChannel
    public let cancelledBy: MISChannel?
    public let cancelReason: String?
    /// Who acted within the channel (`operator:<account>`, `kiosk:<id>`, `patient`), when the caller said.
    public let actor: String?
    public let cancelledActor: String?
    /// The patient's card; nil for a reservation made with a person's own data, until it is confirmed.
    public let patientID: String?
    /// Why the clinic refused a reservation (or cancelled a displaced entry), when it did.
    public let refusal: MISRefusalReason?

    public init(id: String, ticket: String?, clinicID: String, slotID: String, doctorID: String, doctorName: String, specialtyID: String, specialtyName: String, start: Date, end: Date, room: String, status: MISAppointmentStatus, channel: MISChannel, cancelledBy: MISChannel? = nil, cancelReason: String? = nil, actor: String? = nil, cancelledActor: String? = nil,
                patientID: String? = nil, refusal: MISRefusalReason? = nil) {
        self.patientID = patientID
        self.refusal = refusal
        self.id = id
        self.ticket = ticket
        self.clinicID = clinicID
        self.slotID = slotID
        self.doctorID = doctorID
        self.doctorName = doctorName
        self.specialtyID = specialtyID
        self.specialtyName = specialtyName
        self.start = start
        self.end = end
        self.room = room
        self.status = status
        self.channel = channel
        self.cancelledBy = cancelledBy
        self.cancelReason = cancelReason
        self.actor = actor
        self.cancelledActor = cancelledActor
    }
}

/// Something the clinic did to an appointment that the registry must learn about.
public struct MISChange: Sendable, Equatable {
    /// What the clinic did to the appointment.
    public enum Kind: String, Sendable, CaseIterable {
        case cancelled, moved
        /// A reservation the clinic confirmed: an appointment now, of the card `patient` names.
        case confirmed
        /// A reservation (or a displaced entry) the clinic refused, with `refusal` and `reason`.
        case refused
        /// The clinic closed the time: the booking holds none until the clinic moves or cancels it.
        case displaced
    }

    public let sequence: Int
    public let kind: Kind
    public let appointmentID: String
    /// The card of the appointment; nil for a reservation made without one.
    public let patientID: String?
    public let previousStart: Date
    public let newStart: Date?
    public let at: Date
    public let reason: String?
    /// Who made the change (`clinic` for its own staff, or the channel a registry booked through), when the MIS says.
    public let by: MISChannel?
    /// A move that made a new appointment (a reschedule through SetAppointment) names it; a move
    /// that kept the appointment and changed its time does not.
    public let newAppointmentID: String?
    /// For `refused`: the reason's code.
    public let refusal: MISRefusalReason?

    public init(sequence: Int, kind: Kind, appointmentID: String, patientID: String?, previousStart: Date, newStart: Date?, at: Date, reason: String?,
                by: MISChannel? = nil, newAppointmentID: String? = nil, refusal: MISRefusalReason? = nil) {
        self.refusal = refusal
        self.by = by
        self.newAppointmentID = newAppointmentID
        self.sequence = sequence
        self.kind = kind
        self.appointmentID = appointmentID
        self.patientID = patientID
        self.previousStart = previousStart
        self.newStart = newStart
        self.at = at
        self.reason = reason
    }
}

/// Changes since a cursor, and the cursor to ask with next time.
public struct MISChangeBatch: Sendable, Equatable {
    public let cursor: String
    public let changes: [MISChange]

    public init(cursor: String, changes: [MISChange]) {
        self.cursor = cursor
        self.changes = changes
    }
}

/// What a gateway says about itself.
public struct MISGatewayVersion: Sendable, Equatable {
    public let protocolVersion: Int
    public let implementation: String
    public let time: Date

    public init(protocolVersion: Int, implementation: String, time: Date) {
        self.protocolVersion = protocolVersion
        self.implementation = implementation
        self.time = time
    }
}

extension MISClinic {
    /// The same clinic under the id the registry gives it.
    func named(_ id: String) -> MISClinic {
        id == self.id ? self : MISClinic(id: id, districtID: districtID, fullName: fullName, shortName: shortName, address: address, phone: phone, oid: oid, timeZone: timeZone, approves: approves)
    }
}

extension MISAppointment {
    /// The same appointment, its clinic under the id the registry gives it.
    func named(_ clinic: String) -> MISAppointment {
        clinic == clinicID ? self : MISAppointment(
            id: id, ticket: ticket, clinicID: clinic, slotID: slotID, doctorID: doctorID, doctorName: doctorName, specialtyID: specialtyID,
            specialtyName: specialtyName, start: start, end: end, room: room, status: status, channel: channel, cancelledBy: cancelledBy, cancelReason: cancelReason,
            actor: actor, cancelledActor: cancelledActor, patientID: patientID, refusal: refusal
        )
    }
}

/// A referral (направление) as the clinic's MIS knows it: for which specialty, until when, and
/// whether it was used.
public struct MISReferral: Sendable, Equatable {
    /// Where it stands: bookable, already used for an appointment, or past its date.
    public enum Status: String, Sendable, CaseIterable {
        case valid, used, expired
    }

    public let number: String
    /// The clinic's specialty it sends the patient to.
    public let specialtyID: String
    /// The last day (`YYYY-MM-DD`) an appointment may fall on.
    public let validUntil: String
    public let status: Status
    /// The clinic that issued it.
    public let issuedBy: String

    public init(number: String, specialtyID: String, validUntil: String, status: Status, issuedBy: String) {
        self.number = number
        self.specialtyID = specialtyID
        self.validUntil = validUntil
        self.status = status
        self.issuedBy = issuedBy
    }
}

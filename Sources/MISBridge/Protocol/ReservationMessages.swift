import Foundation

/// A person as a caller knows them without a card in the clinic (the federal portal knows people
/// this way): what a reservation carries instead of a card id, and what CreatePatient opens a card with.
public struct MISPersonDetails: Sendable, Equatable {
    public let lastName: String
    public let firstName: String
    /// Empty when the person has none.
    public let middleName: String
    /// `YYYY-MM-DD`.
    public let birthDate: String
    /// `male` or `female`.
    public let sex: String
    /// As the protocol carries a policy: 16 digits, or series and number.
    public let policy: String
    /// 11 digits.
    public let snils: String?
    public let phone: String?

    public init(lastName: String, firstName: String, middleName: String, birthDate: String, sex: String, policy: String, snils: String? = nil, phone: String? = nil) {
        self.lastName = lastName
        self.firstName = firstName
        self.middleName = middleName
        self.birthDate = birthDate
        self.sex = sex
        self.policy = policy
        self.snils = snils
        self.phone = phone
    }

    /// Surname, first name and patronymic.
    public var fullName: String {
        [lastName, firstName, middleName].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The parameters that carry the person in a request.
    var parameters: [(String, String)] {
        var parameters = [("lastName", lastName), ("firstName", firstName)]
        if !middleName.isEmpty { parameters.append(("middleName", middleName)) }
        parameters += [("birthDate", birthDate), ("sex", sex), ("policy", policy)]
        if let snils { parameters.append(("snils", snils)) }
        if let phone { parameters.append(("phone", phone)) }
        return parameters
    }

    /// Reads the person back from a request's parameters (their form; a gateway checks the values).
    init(_ parameters: MISRequestParameters) throws(MISFailure) {
        let birthDate = try parameters.required("birthDate")
        guard ProtocolTime.isDay(birthDate) else { throw MISFailure(.badRequest, message: "Дата рождения должна быть в виде ГГГГ-ММ-ДД") }
        let sex = try parameters.required("sex")
        guard sex == "male" || sex == "female" else { throw MISFailure(.badRequest, message: "Пол указывается как male или female") }
        self.init(lastName: try parameters.required("lastName"), firstName: try parameters.required("firstName"), middleName: parameters.optional("middleName") ?? "",
                  birthDate: birthDate, sex: sex, policy: try parameters.required("policy"), snils: parameters.optional("snils"), phone: parameters.optional("phone"))
    }
}

/// Why a clinic refuses a reservation, after the federal list of refusal reasons where it fits a registry.
public enum MISRefusalReason: String, Sendable, CaseIterable {
    /// The time should not have been offered (a mistake in the schedule).
    case errorInSlot = "error_in_slot"
    /// The patient declined (phoned the clinic).
    case patientDecline = "patient_decline"
    /// The clinic does not provide this service to the patient (wrong doctor for the complaint).
    case incorrectService = "incorrect_service"
    /// The person's data are wrong or do not match a card.
    case incorrectData = "incorrect_data"
    /// The clinic declines (the patient is not theirs to serve).
    case moDecline = "mo_decline"
    /// No free time is left (the doctor's day was closed).
    case noFreeSpace = "no_free_space"
    case otherReasons = "other_reasons"
}

/// A booking awaiting the clinic: a reservation to confirm or refuse, or a displaced entry to move or
/// cancel — with the person as the caller gave them (from the card when there is one).
public struct MISReservation: Sendable, Equatable {
    public let appointment: MISAppointment
    /// When it was made.
    public let createdAt: Date
    public let person: MISPersonDetails

    public init(appointment: MISAppointment, createdAt: Date, person: MISPersonDetails) {
        self.appointment = appointment
        self.createdAt = createdAt
        self.person = person
    }
}

// MARK: Writing and reading

extension MISPersonDetails {
    public func write(into writer: inout XMLWriter) {
        writer.empty("person", [
            "lastName": lastName, "firstName": firstName, "middleName": middleName, "birthDate": birthDate, "sex": sex, "policy": policy,
            "snils": snils, "phone": phone,
        ])
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISPersonDetails {
        guard let birthDate = try fields.day("birthDate") else { throw MISFailure(.badAnswer, detail: "<person> lacks birthDate") }
        return MISPersonDetails(
            lastName: try fields.string("lastName"), firstName: try fields.string("firstName"), middleName: try fields.string("middleName"), birthDate: birthDate,
            sex: try fields.string("sex", maximumLength: 8), policy: try fields.string("policy", maximumLength: 32),
            snils: fields.described("snils", maximumLength: 16), phone: fields.described("phone", maximumLength: AnswerLimits.identifier)
        )
    }
}

extension MISReservation {
    public func write(into writer: inout XMLWriter, zone: TimeZone) {
        writer.start("reservation", ["createdAt": ProtocolTime.string(createdAt, in: zone)])
        appointment.write(into: &writer, zone: zone)
        person.write(into: &writer)
        writer.end()
    }

    static func read(_ fields: AnswerFields) throws(MISFailure) -> MISReservation {
        let appointments = try fields.list("appointment", MISAppointment.read)
        let people = try fields.list("person", MISPersonDetails.read)
        guard appointments.count == 1, people.count == 1 else { throw MISFailure(.badAnswer, detail: "<reservation> needs one appointment and one person") }
        guard appointments[0].status == .reserved || appointments[0].status == .displaced else {
            throw MISFailure(.badAnswer, detail: "<reservation> of an appointment \(appointments[0].status.rawValue)")
        }
        return MISReservation(appointment: appointments[0], createdAt: try fields.date("createdAt"), person: people[0])
    }
}

extension MISAnswer {
    public static func reservations(_ payload: XMLElementView) throws(MISFailure) -> [MISReservation] {
        guard payload.name == "reservations" else { throw MISFailure(.badAnswer, detail: "expected <reservations>, found <\(payload.name)>") }
        return try AnswerFields(node: payload).list("reservation", MISReservation.read)
    }
}

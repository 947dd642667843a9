// Each request of the protocol names its parameters once: the bridge writes them (`parameters`),
// a gateway reads them back (`init(_:)`), so the two sides cannot drift apart.

/// One request of the MIS protocol: its operation and its parameters, both ways.
public protocol MISRequest: Sendable {
    static var operation: MISOperation { get }
    /// The parameters as sent, `op` excluded.
    var parameters: [(String, String)] { get }
    /// Reads the request back from what a gateway received; a missing or malformed parameter is error 9.
    init(_ parameters: MISRequestParameters) throws(MISFailure)
}

/// The parameters of a request as a gateway received them (query of a GET, form body of a POST),
/// decoded strictly (`FormParameters`).
public struct MISRequestParameters: Sendable {
    public let pairs: [(String, String)]

    public init(pairs: [(String, String)]) {
        self.pairs = pairs
    }

    /// Decodes a query string or form body; a broken escape, a NUL or a parameter given twice is error 9.
    public init(decoding bytes: some Sequence<UInt8>) throws(MISFailure) {
        do {
            pairs = try FormParameters(decoding: bytes).pairs.map { ($0.name, $0.value) }
        } catch .repeated(let name) {
            throw MISFailure(.badRequest, message: "Параметр «\(name.prefix(64))» указан дважды")
        } catch .nulByte {
            throw MISFailure(.badRequest, message: "Параметры запроса содержат нулевой байт")
        } catch {
            throw MISFailure(.badRequest, message: "Параметры запроса закодированы неверно")
        }
    }

    /// The value of `name`, nil when absent or empty.
    public func optional(_ name: String) -> String? {
        pairs.first { $0.0 == name }.map(\.1).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The value of `name`; absent, empty or longer than 256 characters is error 9.
    public func required(_ name: String) throws(MISFailure) -> String {
        guard let value = optional(name) else { throw MISFailure(.badRequest, message: "Не указан параметр «\(name)»") }
        guard value.count <= 256 else { throw MISFailure(.badRequest, message: "Параметр «\(name)» слишком длинный") }
        return value
    }

    /// The optional `actor`: at most 64 characters.
    func actor() throws(MISFailure) -> String? {
        guard let actor = optional("actor") else { return nil }
        guard actor.count <= 64 else { throw MISFailure(.badRequest, message: "Параметр «actor» слишком длинный") }
        return actor
    }

    /// An optional `true`/`false`; absent is false.
    func flag(_ name: String) throws(MISFailure) -> Bool {
        switch optional(name) {
        case nil, "false": return false
        case "true": return true
        default: throw MISFailure(.badRequest, message: "Параметр «\(name)» — true или false")
        }
    }

    func channel(_ name: String) throws(MISFailure) -> MISChannel {
        guard let channel = MISChannel(rawValue: try required(name)) else { throw MISFailure(.badRequest, message: "Неизвестный канал записи") }
        return channel
    }
}

/// The requests of the protocol, one per operation (docs/mis-protocol.md, "Operations").
public enum MISRequests {
    public struct Version: MISRequest {
        public static let operation = MISOperation.getVersion
        public init() {}
        public init(_ parameters: MISRequestParameters) {}
        public var parameters: [(String, String)] { [] }
    }

    public struct Districts: MISRequest {
        public static let operation = MISOperation.getDistrictList
        public init() {}
        public init(_ parameters: MISRequestParameters) {}
        public var parameters: [(String, String)] { [] }
    }

    public struct Clinics: MISRequest {
        public static let operation = MISOperation.getLPUList
        public let district: String?
        public init(district: String?) { self.district = district }
        public init(_ parameters: MISRequestParameters) { district = parameters.optional("district") }
        public var parameters: [(String, String)] { district.map { [("district", $0)] } ?? [] }
    }

    public struct Specialties: MISRequest {
        public static let operation = MISOperation.getSpecialityList
        public let clinic: String
        public init(clinic: String) { self.clinic = clinic }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) { clinic = try parameters.required("clinic") }
        public var parameters: [(String, String)] { [("clinic", clinic)] }
    }

    public struct Doctors: MISRequest {
        public static let operation = MISOperation.getDoctorList
        public let clinic: String
        public let specialty: String
        public init(clinic: String, specialty: String) {
            self.clinic = clinic
            self.specialty = specialty
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            self.init(clinic: try parameters.required("clinic"), specialty: try parameters.required("specialty"))
        }
        public var parameters: [(String, String)] { [("clinic", clinic), ("specialty", specialty)] }
    }

    /// A doctor's days (`AvailableDates`) or times (`AvailableAppointments`) from one day to another.
    public struct DoctorRange: Sendable, Equatable {
        public let clinic: String
        public let doctor: String
        public let from: String
        public let to: String
        public init(clinic: String, doctor: String, from: String, to: String) {
            self.clinic = clinic
            self.doctor = doctor
            self.from = from
            self.to = to
        }
        init(_ parameters: MISRequestParameters) throws(MISFailure) {
            self.init(clinic: try parameters.required("clinic"), doctor: try parameters.required("doctor"), from: try parameters.required("from"), to: try parameters.required("to"))
        }
        var parameters: [(String, String)] { [("clinic", clinic), ("doctor", doctor), ("from", from), ("to", to)] }
    }

    public struct AvailableDates: MISRequest {
        public static let operation = MISOperation.getAvailableDates
        public let range: DoctorRange
        public init(_ range: DoctorRange) { self.range = range }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) { range = try DoctorRange(parameters) }
        public var parameters: [(String, String)] { range.parameters }
    }

    public struct AvailableAppointments: MISRequest {
        public static let operation = MISOperation.getAvailableAppointments
        public let range: DoctorRange
        public init(_ range: DoctorRange) { self.range = range }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) { range = try DoctorRange(parameters) }
        public var parameters: [(String, String)] { range.parameters }
    }

    /// CheckPatient in one clinic, or (`clinic` nil) in every clinic of the gateway.
    public struct CheckPatient: MISRequest {
        public static let operation = MISOperation.checkPatient
        public let clinic: String?
        public let query: MISPatientQuery
        public init(clinic: String?, query: MISPatientQuery) {
            self.clinic = clinic
            self.query = query
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            let birthDate = try parameters.required("birthDate")
            guard ProtocolTime.isDay(birthDate) else { throw MISFailure(.badRequest, message: "Дата рождения должна быть в виде ГГГГ-ММ-ДД") }
            self.init(clinic: parameters.optional("clinic"), query: MISPatientQuery(
                policy: try parameters.required("policy"), birthDate: birthDate, document: parameters.optional("document"),
                snils: parameters.optional("snils"), lastName: parameters.optional("lastName")
            ))
        }
        public var parameters: [(String, String)] {
            var parameters = clinic.map { [("clinic", $0)] } ?? []
            parameters += [("policy", query.policy), ("birthDate", query.birthDate)]
            if let document = query.document { parameters.append(("document", document)) }
            if let snils = query.snils { parameters.append(("snils", snils)) }
            if let lastName = query.lastName { parameters.append(("lastName", lastName)) }
            return parameters
        }
    }

    /// SearchPatients across the gateway: by exactly one key (docs/mis-protocol.md, "SearchPatients").
    public struct SearchPatients: MISRequest {
        public static let operation = MISOperation.searchPatients
        public let query: MISPersonQuery
        public init(_ query: MISPersonQuery) { self.query = query }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            let given = ["policy", "snils", "document", "lastName"].filter { parameters.optional($0) != nil }
            guard given.count == 1 else { throw MISFailure(.badRequest, message: "Укажите ровно один ключ поиска: полис, СНИЛС, документ или фамилию с именем и датой рождения") }
            switch given[0] {
            case "policy": query = .policy(try parameters.required("policy"))
            case "snils": query = .snils(try parameters.required("snils"))
            case "document": query = .document(try parameters.required("document"))
            default:
                let birthDate = try parameters.required("birthDate")
                guard ProtocolTime.isDay(birthDate) else { throw MISFailure(.badRequest, message: "Дата рождения должна быть в виде ГГГГ-ММ-ДД") }
                query = .name(lastName: try parameters.required("lastName"), firstName: try parameters.required("firstName"), birthDate: birthDate)
            }
        }
        public var parameters: [(String, String)] {
            switch query {
            case .policy(let policy): [("policy", policy)]
            case .snils(let snils): [("snils", snils)]
            case .document(let document): [("document", document)]
            case .name(let lastName, let firstName, let birthDate): [("lastName", lastName), ("firstName", firstName), ("birthDate", birthDate)]
            }
        }
    }

    /// Books a slot for a card, or reserves it (`reserve`) — for a card, or for a person's own data.
    public struct SetAppointment: MISRequest {
        public static let operation = MISOperation.setAppointment
        public let clinic: String
        public let booking: MISBookingRequest
        public init(clinic: String, booking: MISBookingRequest) {
            self.clinic = clinic
            self.booking = booking
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            let reserve = try parameters.flag("reserve")
            let patient = parameters.optional("patient")
            let person = patient == nil && parameters.optional("lastName") != nil ? try MISPersonDetails(parameters) : nil
            guard patient != nil || person != nil else { throw MISFailure(.badRequest, message: "Не указан параметр «patient»") }
            guard person == nil || reserve else { throw MISFailure(.badRequest, message: "Без карты пациента время можно только забронировать (reserve=true)") }
            guard person == nil || parameters.optional("previousAppointment") == nil && parameters.optional("referral") == nil else {
                throw MISFailure(.badRequest, message: "Перенос и направление — только для записи по карте пациента")
            }
            self.init(clinic: try parameters.required("clinic"), booking: MISBookingRequest(
                slotID: try parameters.required("slot"), patientID: patient, person: person, channel: try parameters.channel("channel"),
                requestID: try parameters.required("requestId"), previousAppointmentID: parameters.optional("previousAppointment"), referral: parameters.optional("referral"),
                actor: try parameters.actor(), reserve: reserve
            ))
        }
        public var parameters: [(String, String)] {
            var parameters = [("clinic", clinic), ("slot", booking.slotID)]
            if let patient = booking.patientID { parameters.append(("patient", patient)) }
            if let person = booking.person { parameters += person.parameters }
            parameters += [("channel", booking.channel.rawValue), ("requestId", booking.requestID)]
            if booking.reserve { parameters.append(("reserve", "true")) }
            if let previous = booking.previousAppointmentID { parameters.append(("previousAppointment", previous)) }
            if let referral = booking.referral { parameters.append(("referral", referral)) }
            if let actor = booking.actor { parameters.append(("actor", actor)) }
            return parameters
        }
    }

    public struct CreateClaimForRefusal: MISRequest {
        public static let operation = MISOperation.createClaimForRefusal
        public let clinic: String
        public let appointment: String
        /// The card; nil only for a reservation made without one, cancelled by the channel that made it.
        public let patient: String?
        public let reason: String?
        /// Who cancels; a gateway reads a missing or unknown channel as `other`.
        public let cancelledBy: MISChannel
        /// Who acts within that channel (`operator:<account>`, …).
        public let actor: String?
        public init(clinic: String, appointment: String, patient: String?, reason: String?, cancelledBy: MISChannel, actor: String? = nil) {
            self.clinic = clinic
            self.appointment = appointment
            self.patient = patient
            self.reason = reason
            self.cancelledBy = cancelledBy
            self.actor = actor
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            self.init(
                clinic: try parameters.required("clinic"), appointment: try parameters.required("appointment"), patient: parameters.optional("patient"),
                reason: parameters.optional("reason"), cancelledBy: parameters.optional("cancelledBy").flatMap(MISChannel.init(rawValue:)) ?? .other,
                actor: try parameters.actor()
            )
        }
        public var parameters: [(String, String)] {
            var parameters = [("clinic", clinic), ("appointment", appointment)] + (patient.map { [("patient", $0)] } ?? []) + [("cancelledBy", cancelledBy.rawValue)]
            if let reason { parameters.append(("reason", reason)) }
            if let actor { parameters.append(("actor", actor)) }
            return parameters
        }
    }

    public struct PatientHistory: MISRequest {
        public static let operation = MISOperation.getPatientHistory
        public let clinic: String
        public let patient: String
        public init(clinic: String, patient: String) {
            self.clinic = clinic
            self.patient = patient
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            self.init(clinic: try parameters.required("clinic"), patient: try parameters.required("patient"))
        }
        public var parameters: [(String, String)] { [("clinic", clinic), ("patient", patient)] }
    }

    public struct Changes: MISRequest {
        public static let operation = MISOperation.getChanges
        public let clinic: String
        public let cursor: String
        public init(clinic: String, cursor: String) {
            self.clinic = clinic
            self.cursor = cursor
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            self.init(clinic: try parameters.required("clinic"), cursor: try parameters.required("cursor"))
        }
        public var parameters: [(String, String)] { [("clinic", clinic), ("cursor", cursor)] }
    }

    /// Every slot of a period with every booking made for it: one doctor, or (`doctor` nil) every
    /// doctor of the clinic, continuing `after` a doctor when an earlier answer stopped there.
    public struct Schedule: MISRequest {
        public static let operation = MISOperation.getSchedule
        public let clinic: String
        public let doctor: String?
        public let from: String
        public let to: String
        public let after: String?
        public init(clinic: String, doctor: String?, from: String, to: String, after: String? = nil) {
            self.clinic = clinic
            self.doctor = doctor
            self.from = from
            self.to = to
            self.after = after
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            self.init(clinic: try parameters.required("clinic"), doctor: parameters.optional("doctor"), from: try parameters.required("from"),
                      to: try parameters.required("to"), after: parameters.optional("after"))
        }
        public var parameters: [(String, String)] {
            [("clinic", clinic)] + (doctor.map { [("doctor", $0)] } ?? []) + [("from", from), ("to", to)] + (after.map { [("after", $0)] } ?? [])
        }
    }

    /// Whether a referral (направление) lets this patient book in this clinic.
    public struct CheckReferral: MISRequest {
        public static let operation = MISOperation.checkReferral
        public let clinic: String
        public let referral: String
        public let patient: String
        public init(clinic: String, referral: String, patient: String) {
            self.clinic = clinic
            self.referral = referral
            self.patient = patient
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            self.init(clinic: try parameters.required("clinic"), referral: try parameters.required("referral"), patient: try parameters.required("patient"))
        }
        public var parameters: [(String, String)] { [("clinic", clinic), ("referral", referral), ("patient", patient)] }
    }
}

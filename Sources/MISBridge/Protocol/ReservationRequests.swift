// The clinic's side of reservations (docs/mis-protocol.md, "Reservations"): what a registrar decides
// through the registry.

extension MISRequests {
    /// The clinic's reservations awaiting a decision and its displaced entries, oldest first.
    public struct ReservationList: MISRequest {
        public static let operation = MISOperation.getReservationList
        public let clinic: String
        public init(clinic: String) { self.clinic = clinic }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) { clinic = try parameters.required("clinic") }
        public var parameters: [(String, String)] { [("clinic", clinic)] }
    }

    /// Makes a reservation an active appointment of the card `patient`.
    public struct ConfirmReservation: MISRequest {
        public static let operation = MISOperation.confirmReservation
        public let clinic: String
        public let appointment: String
        public let patient: String
        public let actor: String?
        public init(clinic: String, appointment: String, patient: String, actor: String?) {
            self.clinic = clinic
            self.appointment = appointment
            self.patient = patient
            self.actor = actor
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            self.init(clinic: try parameters.required("clinic"), appointment: try parameters.required("appointment"), patient: try parameters.required("patient"),
                      actor: try parameters.actor())
        }
        public var parameters: [(String, String)] {
            [("clinic", clinic), ("appointment", appointment), ("patient", patient)] + (actor.map { [("actor", $0)] } ?? [])
        }
    }

    /// Refuses a reservation, or cancels a displaced entry, as the clinic: a reason code and a sentence for the patient.
    public struct RefuseReservation: MISRequest {
        public static let operation = MISOperation.refuseReservation
        public let clinic: String
        public let appointment: String
        public let reason: MISRefusalReason
        public let text: String?
        public let actor: String?
        public init(clinic: String, appointment: String, reason: MISRefusalReason, text: String?, actor: String?) {
            self.clinic = clinic
            self.appointment = appointment
            self.reason = reason
            self.text = text
            self.actor = actor
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            guard let reason = MISRefusalReason(rawValue: try parameters.required("reason")) else {
                throw MISFailure(.badRequest, message: "Неизвестный код причины отказа")
            }
            let text = parameters.optional("text")
            guard (text?.count ?? 0) <= 512 else { throw MISFailure(.badRequest, message: "Текст причины длиннее 512 знаков") }
            self.init(clinic: try parameters.required("clinic"), appointment: try parameters.required("appointment"), reason: reason, text: text, actor: try parameters.actor())
        }
        public var parameters: [(String, String)] {
            var parameters = [("clinic", clinic), ("appointment", appointment), ("reason", reason.rawValue)]
            if let text { parameters.append(("text", text)) }
            if let actor { parameters.append(("actor", actor)) }
            return parameters
        }
    }

    /// Moves an appointment — a displaced one, a reservation or an active one — to another free time of
    /// the same specialty in the clinic; it keeps its id and ticket.
    public struct MoveAppointment: MISRequest {
        public static let operation = MISOperation.moveAppointment
        public let clinic: String
        public let appointment: String
        public let slot: String
        public let reason: String?
        public let actor: String?
        public init(clinic: String, appointment: String, slot: String, reason: String?, actor: String?) {
            self.clinic = clinic
            self.appointment = appointment
            self.slot = slot
            self.reason = reason
            self.actor = actor
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            self.init(clinic: try parameters.required("clinic"), appointment: try parameters.required("appointment"), slot: try parameters.required("slot"),
                      reason: parameters.optional("reason"), actor: try parameters.actor())
        }
        public var parameters: [(String, String)] {
            var parameters = [("clinic", clinic), ("appointment", appointment), ("slot", slot)]
            if let reason { parameters.append(("reason", reason)) }
            if let actor { parameters.append(("actor", actor)) }
            return parameters
        }
    }

    /// Opens a card in the clinic for a person (or answers the card they already have there).
    public struct CreatePatient: MISRequest {
        public static let operation = MISOperation.createPatient
        public let clinic: String
        public let person: MISPersonDetails
        public init(clinic: String, person: MISPersonDetails) {
            self.clinic = clinic
            self.person = person
        }
        public init(_ parameters: MISRequestParameters) throws(MISFailure) {
            self.init(clinic: try parameters.required("clinic"), person: try MISPersonDetails(parameters))
        }
        public var parameters: [(String, String)] { [("clinic", clinic)] + person.parameters }
    }
}

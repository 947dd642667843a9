import Templating

/// The hidden fields of every confirmation form — booking, moving, retrying — under one set of
/// names (`partials/shared/confirmation-fields`): the time chosen, the attempt's request id that
/// makes a repeated confirmation land on the same ticket, and the form token.
public struct ConfirmationFields: TemplateObject, Sendable {
    /// Nil where the form's address names it already (a move keeps its booking's clinic).
    public let clinicID: String?
    public let doctorID: String
    public let slotID: String
    /// The time's `YYYY-MM-DD`, when known: the confirmation then reads that day alone.
    public let day: String?
    public let requestID: String
    public let csrfToken: String

    public init(clinicID: String?, doctorID: String, slotID: String, day: String? = nil, requestID: String, csrfToken: String) {
        self.clinicID = clinicID
        self.doctorID = doctorID
        self.slotID = slotID
        self.day = day
        self.requestID = requestID
        self.csrfToken = csrfToken
    }

    /// The same fields with the form token of the session that shows them.
    public func with(csrfToken: String) -> ConfirmationFields {
        ConfirmationFields(clinicID: clinicID, doctorID: doctorID, slotID: slotID, day: day, requestID: requestID, csrfToken: csrfToken)
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "clinic": .optional(clinicID)
        case "doctor": .string(doctorID)
        case "slot": .string(slotID)
        case "day": .optional(day)
        case "requestId": .string(requestID)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

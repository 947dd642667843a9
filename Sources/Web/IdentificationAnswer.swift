import HTTPTypes
import RegistryCore

/// What an identification form shows when the finder found nobody to sign in — the same on the
/// site and at a kiosk: the errors beside the fields, whether the identity document is asked for,
/// "not found" or "the clinics do not answer", and the status of the answer.
public struct IdentificationAnswer: Sendable {
    public private(set) var errors: [FormError] = []
    public private(set) var asksDocument = false
    public private(set) var notFound = false
    /// The clinics did not answer: the page says to try again shortly (with `Retry-After`).
    public private(set) var unavailable = false
    public private(set) var status: HTTPResponse.Status = .unprocessableContent

    /// Nil when the patient was identified (the channel signs them in).
    public init?(_ identification: PatientFinder.Identification) {
        switch identification {
        case .identified:
            return nil
        case .invalid(let policyProblem, let badBirthDate):
            if let policyProblem { errors.append(FormError(field: "policy", message: IdentificationTexts.policy(policyProblem))) }
            if badBirthDate { errors.append(FormError(field: "birthDate", message: IdentificationTexts.birthDate)) }
        case .failed(.throttled):
            errors.append(FormError(field: "policy", message: IdentificationTexts.throttled))
            status = .tooManyRequests
        case .failed(.needsDocument):
            asksDocument = true
            errors.append(FormError(field: "document", message: IdentificationTexts.documentAfterFailures))
        case .failed(.several):
            asksDocument = true
            errors.append(FormError(field: "document", message: IdentificationTexts.several))
        case .failed(.notFound):
            notFound = true
        case .failed(.unavailable), .failed(.found):
            unavailable = true
            status = .serviceUnavailable
        }
    }
}

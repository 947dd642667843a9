import Booking
import HTTPTypes
import MISBridge
import Persistence
import RegistryCore

/// What an identification form comes to, the same on the site and at a kiosk: the patient to sign
/// in, or the form shown again with what the finder said.
public enum IdentificationResult: Sendable {
    case signIn(IdentifiedPatient, policyKey: String)
    case show(IdentificationAnswer)

    public init(_ identification: PatientFinder.Identification) {
        switch identification {
        case .identified(let patient, let policyKey): self = .signIn(patient, policyKey: policyKey)
        case .invalid(let policyProblem, let badBirthDate): self = .show(IdentificationAnswer(policyProblem: policyProblem, badBirthDate: badBirthDate))
        case .failed(let outcome): self = .show(IdentificationAnswer(outcome))
        }
    }
}

/// What a patient typed into an identification form (the site's, the kiosk's start screen).
public struct TypedIdentity: Sendable {
    public var policy = ""
    public var birthDate = ""
    public var document = ""

    public init() {}

    public init(form: FormParameters) {
        policy = form["policy"] ?? ""
        birthDate = form["birthDate"] ?? ""
        document = form["document"] ?? ""
    }
}

/// What an identification form shows when the finder found nobody to sign in: the errors beside
/// the fields, whether the identity document is asked for, "not found" or "the clinics do not
/// answer" (then with `Retry-After`), and the status of the answer.
public struct IdentificationAnswer: Sendable {
    public private(set) var errors: [FormError] = []
    public private(set) var asksDocument = false
    public private(set) var notFound = false
    /// The clinics did not answer: the page says to try again shortly.
    public private(set) var unavailable = false
    public private(set) var status: HTTPResponse.Status = .unprocessableContent

    /// Nothing said yet: the form as first shown.
    public static let none = IdentificationAnswer()

    private init() {}

    /// The policy or birth date as typed cannot be one.
    init(policyProblem: PolicyNumber.Problem?, badBirthDate: Bool) {
        if let policyProblem { errors.append(FormError(field: "policy", message: IdentificationTexts.policy(policyProblem))) }
        if badBirthDate { errors.append(FormError(field: "birthDate", message: IdentificationTexts.birthDate)) }
    }

    /// The finder looked and found nobody to sign in.
    init(_ failure: PatientFinder.Outcome) {
        switch failure {
        case .throttled:
            errors.append(FormError(field: "policy", message: IdentificationTexts.throttled))
            status = .tooManyRequests
        case .needsDocument:
            asksDocument = true
            errors.append(FormError(field: "document", message: IdentificationTexts.documentAfterFailures))
        case .several:
            asksDocument = true
            errors.append(FormError(field: "document", message: IdentificationTexts.several))
        case .notFound:
            notFound = true
        case .unavailable, .found:
            unavailable = true
            status = .serviceUnavailable
        }
    }

    /// Whether the form asks for the identity document: asked now, or typed already (a document asked for before stays asked for).
    public func asksDocument(_ typed: TypedIdentity) -> Bool {
        asksDocument || !typed.document.isEmpty
    }

    /// How long a browser waits before trying again, when the clinics did not answer.
    public var retryAfter: String? { unavailable ? "30" : nil }
}

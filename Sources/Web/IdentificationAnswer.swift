import Booking
import HTTPTypes
import RegistryCore

/// What a patient reads when identification does not go through, the same on the site and at a kiosk.
public enum IdentificationTexts {
    public static func policy(_ problem: PolicyNumber.Problem) -> String {
        switch problem {
        case .empty: "Введите номер полиса ОМС."
        case .checkDigitMismatch: "В номере полиса, похоже, опечатка: проверьте все 16 цифр."
        case .unrecognised: "Номер полиса — это 16 цифр, или серия и номер полиса старого образца."
        }
    }

    public static let birthDate = "Введите дату рождения в виде ДД.ММ.ГГГГ, например 05.03.1984."
    public static let throttled = "Слишком много неудачных попыток входа с этого адреса. Подождите час или обратитесь в регистратуру поликлиники."
    public static let documentAfterFailures = "С этим полисом недавно пытались войти с неверной датой рождения. Чтобы защитить ваши данные, укажите ещё серию и номер паспорта (или свидетельства о рождении) — и войдите как обычно."
    public static let several = "Найдено несколько карт с такими данными. Укажите серию и номер паспорта или свидетельства о рождении."
}

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

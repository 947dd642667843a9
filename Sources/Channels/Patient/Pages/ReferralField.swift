import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The referral number field of the check page, with what the MIS said about the number typed.
struct ReferralField: TemplateObject {
    var number = ""
    /// Why the number does not do (plain Russian), if it does not.
    var refusal: String?
    /// The refusal's stable code.
    var code: String?

    var error: FormError? { refusal.map { FormError(field: "referral", message: $0) } }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "number": .string(number)
        case "error": .optional(refusal)
        case "code": .optional(code)
        default: nil
        }
    }
}

import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The referral number asked on the check page, with what the MIS said about the number typed.
struct ReferralField {
    var number = ""
    /// Why the number does not do (plain Russian), if it does not.
    var refusal: String?
    /// The refusal's stable code.
    var code: String?
}

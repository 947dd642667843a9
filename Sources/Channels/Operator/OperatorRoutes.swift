import Foundation
import Web

/// Every address of the call centre's workstation: links and route patterns come from it (`ChannelRoute`).
package enum OperatorRoute: Equatable, ChannelRoute {
    case home
    case search
    /// The caller being served (the session holds who), and choosing or letting go of one.
    case caller
    case callerChoose
    case callerEnd
    case callerCancel(clinic: String, appointment: String)
    case callerCancelPost
    case callerContact
    /// Moving one of the caller's bookings (one the registry made: its request id).
    case move(booking: String, doctor: String? = nil)
    case moveCheck(booking: String, doctor: String, slot: String)
    case movePost
    /// Booking for the caller: clinic → specialty → doctor (days and times) → check → confirm → read-back.
    case bookClinics
    case bookClinic(String)
    case bookSpecialty(clinic: String, specialty: String)
    case bookDoctor(clinic: String, doctor: String)
    case bookCheck(clinic: String, doctor: String, slot: String)
    case book
    /// The earliest free times of a specialty in the caller's clinics.
    case earliest(specialty: String? = nil)
    case ticket(String)

    package static let prefix = "/operator"

    package var path: String {
        switch self {
        case .home: Self.prefix
        case .search: Self.prefix + "/search"
        case .caller: Self.prefix + "/caller"
        case .callerChoose: Self.prefix + "/caller/choose"
        case .callerEnd: Self.prefix + "/caller/end"
        case .callerCancel(let clinic, let appointment): Self.prefix + "/caller/cancel?clinic=\(Self.encode(clinic))&appointment=\(Self.encode(appointment))"
        case .callerCancelPost: Self.prefix + "/caller/cancel"
        case .callerContact: Self.prefix + "/caller/contact"
        case .move(let booking, let doctor): Self.prefix + "/caller/move?booking=\(Self.encode(booking))" + (doctor.map { "&doctor=" + Self.encode($0) } ?? "")
        case .moveCheck(let booking, let doctor, let slot): Self.prefix + "/caller/move/check?booking=\(Self.encode(booking))&doctor=\(Self.encode(doctor))&slot=\(Self.encode(slot))"
        case .movePost: Self.prefix + "/caller/move"
        case .bookClinics: Self.prefix + "/book"
        case .bookClinic(let clinic): Self.prefix + "/book/clinics/\(Self.encode(clinic))"
        case .bookSpecialty(let clinic, let specialty): Self.prefix + "/book/clinics/\(Self.encode(clinic))/specialties/\(Self.encode(specialty))"
        case .bookDoctor(let clinic, let doctor): Self.prefix + "/book/clinics/\(Self.encode(clinic))/doctors/\(Self.encode(doctor))"
        case .bookCheck(let clinic, let doctor, let slot): Self.prefix + "/book/check?clinic=\(Self.encode(clinic))&doctor=\(Self.encode(doctor))&slot=\(Self.encode(slot))"
        case .book: Self.prefix + "/book"
        case .earliest(let specialty): Self.prefix + "/book/earliest" + (specialty.map { "?specialty=" + Self.encode($0) } ?? "")
        case .ticket(let id): Self.prefix + "/tickets/\(Self.encode(id))"
        }
    }

    /// `path` if it is a workstation page a sign-in may return to (plain characters, under the prefix); nil otherwise.
    package static func localPath(_ path: String?) -> String? {
        guard let path, path.utf8.count < 256, path == prefix || path.hasPrefix(prefix + "/"),
            path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }), !path.contains("//")
        else { return nil }
        return path
    }

    private static func encode(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics) ?? ""
    }
}

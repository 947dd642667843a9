import Foundation
import Web

/// Every address of the lobby kiosk: links and route patterns come from it (`ChannelRoute`).
package enum KioskRoute: Equatable, ChannelRoute {
    /// The address a kiosk's browser opens with its device token (`token` in the query, which logs leave out).
    case start(token: String? = nil)
    /// The start screen: identification by policy and birth date.
    case home
    case identify
    /// The identified patient's choices.
    case menu
    /// Leaving (or the countdown running out): the session ends on the server.
    case end
    /// "I am still here": keeps the session alive (the countdown's button asks it).
    case alive
    /// Booking: clinic → specialty → doctor → day and time → check → confirm → receipt.
    case clinics
    case clinic(String)
    case specialty(clinic: String, specialty: String)
    case doctor(clinic: String, doctor: String, day: String? = nil)
    case check(clinic: String, doctor: String, slot: String)
    case book
    /// The earliest free times of a specialty in the patient's clinics.
    case earliest(specialty: String? = nil)
    /// The patient's upcoming appointments (every channel's), each printable and cancellable.
    case appointments(cancelled: Bool = false)
    /// One appointment as a receipt; `printing` prints it at once and then returns to the start.
    case receipt(clinic: String, appointment: String, printing: Bool = false)
    case cancel(clinic: String, appointment: String)

    package static let prefix = "/kiosk"

    package var path: String {
        switch self {
        case .start(let token): Self.prefix + "/start" + (token.map { "?token=" + Self.encode($0) } ?? "")
        case .home: Self.prefix
        case .identify: Self.prefix + "/identify"
        case .menu: Self.prefix + "/menu"
        case .end: Self.prefix + "/end"
        case .alive: Self.prefix + "/alive"
        case .clinics: Self.prefix + "/book"
        case .clinic(let clinic): Self.prefix + "/book/clinics/\(Self.encode(clinic))"
        case .specialty(let clinic, let specialty): Self.prefix + "/book/clinics/\(Self.encode(clinic))/specialties/\(Self.encode(specialty))"
        case .doctor(let clinic, let doctor, let day): Self.prefix + "/book/clinics/\(Self.encode(clinic))/doctors/\(Self.encode(doctor))" + (day.map { "?day=" + Self.encode($0) } ?? "")
        case .check(let clinic, let doctor, let slot): Self.prefix + "/book/check?clinic=\(Self.encode(clinic))&doctor=\(Self.encode(doctor))&slot=\(Self.encode(slot))"
        case .book: Self.prefix + "/book"
        case .earliest(let specialty): Self.prefix + "/earliest" + (specialty.map { "?specialty=" + Self.encode($0) } ?? "")
        case .appointments(let cancelled): Self.prefix + "/appointments" + (cancelled ? "?cancelled=1" : "")
        case .receipt(let clinic, let appointment, let printing): Self.prefix + "/appointments/\(Self.encode(clinic))/\(Self.encode(appointment))" + (printing ? "?print=1" : "")
        case .cancel(let clinic, let appointment): Self.prefix + "/appointments/\(Self.encode(clinic))/\(Self.encode(appointment))/cancel"
        }
    }

    /// Whether `path` is one of the kiosk's own addresses (what a kiosk's browser may open).
    package static func isKioskPath(_ path: String) -> Bool {
        path == prefix || path.hasPrefix(prefix + "/")
    }

    /// `path` if it is a kiosk page an error page may offer to try again (plain characters, under the prefix); nil otherwise.
    package static func localPath(_ path: String?) -> String? {
        guard let path, path.utf8.count < 256, isKioskPath(path), !path.hasPrefix(start().path),
            path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }), !path.contains("//")
        else { return nil }
        return path
    }

    private static func encode(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics) ?? ""
    }
}

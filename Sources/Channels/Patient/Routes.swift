import Foundation
import Web

/// Every address of the site in one place: links and route patterns come from it (`ChannelRoute`).
package enum SiteRoute: ChannelRoute {
    case home
    case districts
    case district(String)
    case clinic(String)
    case specialty(clinic: String, specialty: String)
    case doctor(clinic: String, doctor: String)
    /// One day of a doctor's free times (`day` as `YYYY-MM-DD` in the clinic's zone).
    case day(clinic: String, doctor: String, day: String)
    case clinicSearch
    /// The check page of one free time (the time buttons' GET form leads here); `day`, the time's
    /// `YYYY-MM-DD`, spares reading the doctor's whole schedule.
    case check(clinic: String, doctor: String, slot: String, day: String? = nil)
    case doctorSearch
    /// The earliest free times of a specialty (by federal code) in the patient's clinics, or an anonymous visitor's `district`.
    case earliest(specialty: String? = nil, district: String? = nil)
    /// The confirmation form's target (POST).
    case book
    /// Identification, leading to `next` afterwards; `expired` says the previous session lapsed.
    case identify(next: String? = nil, expired: Bool = false)
    /// "Stay signed in" (the session warning's button asks it).
    case session
    case logout
    /// The signed-in patient's shortcuts.
    case me
    /// The cabinet; `cancelled` names a booking just cancelled, confirmed at the top.
    case cabinet(cancelled: String? = nil)
    case cabinetContact
    /// The phone's confirmation code typed (POST), and a confirmation sent again (POST, `channel`).
    case cabinetContactCode
    case cabinetContactResend
    /// A mail confirmation link: shown and asked (GET), confirmed (POST).
    case contactConfirm(token: String? = nil)
    /// Every message sent, or waiting to be sent, to the patient, with how it went.
    case cabinetMessages
    /// The waiting list: joining it for a specialty (or one doctor) of a clinic; the form's target
    /// (POST); the patient's entries (`joined`: one was just added); leaving one (POST).
    case waitlistNew(clinic: String, specialty: String, doctor: String? = nil)
    case waitlist
    case cabinetWaitlist(joined: Bool = false)
    case waitlistLeave(String)
    /// A free time offered to a waiting patient: shown and asked (GET), booked (POST).
    case offer(String)
    case ticket(String)
    case ticketCancel(String)
    case ticketCalendar(String)
    /// Moving a booking: the doctors of its specialty and the free times of `doctor` (its own by
    /// default) on `day` (`YYYY-MM-DD`); without a query also the move form's target (POST).
    case ticketMove(String, doctor: String? = nil, day: String? = nil)
    /// The check page of a move to `slot` of `doctor` (the move page's time buttons lead here).
    case ticketMoveCheck(String, doctor: String? = nil, slot: String? = nil)
    /// A file of Public/ (`css/base.css`), with the release's `version` so that browsers fetch it anew.
    case asset(String, version: String? = nil)

    /// The site is mounted at the root.
    package static let prefix = ""

    package var path: String {
        switch self {
        case .home: "/"
        case .districts: "/districts"
        case .district(let id): "/districts/\(Self.encode(id))"
        case .clinic(let id): "/clinics/\(Self.encode(id))"
        case .specialty(let clinic, let specialty): "/clinics/\(Self.encode(clinic))/specialties/\(Self.encode(specialty))"
        case .doctor(let clinic, let doctor): "/clinics/\(Self.encode(clinic))/doctors/\(Self.encode(doctor))"
        case .day(let clinic, let doctor, let day): "/clinics/\(Self.encode(clinic))/doctors/\(Self.encode(doctor))/days/\(Self.encode(day))"
        case .clinicSearch: "/search/clinics"
        case .doctorSearch: "/search/doctors"
        case .earliest(let specialty, let district): "/earliest" + Self.query(["specialty": specialty, "district": district])
        case .check(let clinic, let doctor, let slot, let day):
            "/book?clinic=\(clinic.urlQueryEncoded)&doctor=\(doctor.urlQueryEncoded)&slot=\(slot.urlQueryEncoded)" + (day.map { "&day=" + $0.urlQueryEncoded } ?? "")
        case .book: "/book"
        case .identify(let next, let expired):
            "/identify" + (next.map { "?next=" + $0.urlQueryEncoded } ?? "") + (expired ? (next == nil ? "?" : "&") + "expired=1" : "")
        case .session: "/session"
        case .logout: "/logout"
        case .me: "/me"
        case .cabinet(let cancelled): "/cabinet" + (cancelled.map { "?cancelled=" + $0.urlQueryEncoded } ?? "")
        case .cabinetContact: "/cabinet/contact"
        case .cabinetContactCode: "/cabinet/contact/code"
        case .cabinetContactResend: "/cabinet/contact/resend"
        case .contactConfirm(let token): "/contacts/confirm" + (token.map { "?token=" + $0.urlQueryEncoded } ?? "")
        case .cabinetMessages: "/cabinet/messages"
        case .waitlistNew(let clinic, let specialty, let doctor): "/waitlist/new" + Self.query(["clinic": clinic, "specialty": specialty, "doctor": doctor])
        case .waitlist: "/waitlist"
        case .cabinetWaitlist(let joined): "/cabinet/waitlist" + (joined ? "?joined=1" : "")
        case .waitlistLeave(let id): "/waitlist/\(Self.encode(id))/leave"
        case .offer(let id): "/offers/\(Self.encode(id))"
        case .ticket(let id): "/tickets/\(Self.encode(id))"
        case .ticketCancel(let id): "/tickets/\(Self.encode(id))/cancel"
        case .ticketCalendar(let id): "/tickets/\(Self.encode(id))/calendar.ics"
        case .ticketMove(let id, let doctor, let day): "/tickets/\(Self.encode(id))/move" + Self.query(["doctor": doctor, "day": day])
        case .ticketMoveCheck(let id, let doctor, let slot): "/tickets/\(Self.encode(id))/move/check" + Self.query(["doctor": doctor, "slot": slot])
        case .asset(let file, let version): "/" + file + (version.map { "?v=" + $0.urlQueryEncoded } ?? "")
        }
    }

    /// Pages whose handling begins with the patient's bookings — checking and confirming a time, a
    /// ticket and what is done with it — so that their session is read together with the ledger.
    static func startsWithLedger(_ path: String) -> Bool {
        path == book.path || path.hasPrefix(ticketsPrefix)
    }

    private static let ticketsPrefix = ticket("").path

    /// The pages a "come back here" link may lead to (after identification, a retry, a lapsed
    /// session): `*` stands for one path segment.
    static let returnablePages = [
        "/", "/districts", "/districts/*", "/clinics/*", "/clinics/*/specialties/*", "/clinics/*/doctors/*", "/clinics/*/doctors/*/days/*",
        "/search/clinics", "/search/doctors", "/earliest", "/book", "/me", "/cabinet", "/cabinet/contact", "/cabinet/messages", "/cabinet/waitlist", "/waitlist/new", "/offers/*", "/tickets/*", "/tickets/*/cancel", "/tickets/*/move", "/tickets/*/move/check", "/identify",
    ]

    /// `path` if it is the address of one of this site's pages (`returnablePages`), with a query of
    /// plain characters only; nil for anything else — another host, a scheme, control characters or
    /// white space a browser would drop (`/\t/evil.example`), backslashes, unknown paths.
    package static func localPath(_ path: String?) -> String? {
        guard let path, path.utf8.count < 512, path.utf8.first == UInt8(ascii: "/") else { return nil }
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts[0].utf8.allSatisfy(isSegmentByte), parts.count == 1 || parts[1].utf8.allSatisfy(isQueryByte) else { return nil }
        if parts[0] == "/" { return path }
        let segments = parts[0].split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let known = returnablePatterns.contains { expected in
            expected.count == segments.count && zip(expected, segments).allSatisfy { pattern, segment in
                pattern == "*" ? !segment.isEmpty : pattern == segment
            }
        }
        return known ? path : nil
    }

    /// `returnablePages` split into segments once (every page's sign-in link is checked against them).
    private static let returnablePatterns: [[Substring]] = returnablePages.filter { $0 != "/" }.map { Array($0.split(separator: "/", omittingEmptySubsequences: false).dropFirst()) }

    private static func isSegmentByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"), UInt8(ascii: "/"): true
        default: false
        }
    }

    private static func isQueryByte(_ byte: UInt8) -> Bool {
        isSegmentByte(byte) || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+")
    }

    /// `?name=value&…` of the parameters that are given (in name order), or nothing.
    private static func query(_ parameters: [String: String?]) -> String {
        let given = parameters.compactMap { name, value in value.map { name + "=" + $0.urlQueryEncoded } }.sorted()
        return given.isEmpty ? "" : "?" + given.joined(separator: "&")
    }

    private static func encode(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? ""
    }

    /// Letters, digits and `-._~` stay as they are in a path segment.
    private static let segmentCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
}

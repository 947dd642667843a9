import Foundation
import Web

/// Every address of the staff pages (clinic staff and the region's administration): links and route
/// patterns come from it (`ChannelRoute`).
package enum StaffRoute: Equatable, ChannelRoute {
    /// The one sign-in of all staff, the call centre's included.
    case signIn(next: String? = nil)
    case signOut
    case password
    /// What the signed-in role does here, clinic by clinic.
    case home
    /// The audit trail for supervisors and administrators: its search, and the same lines as CSV.
    case audit
    case auditExport
    case accounts
    case accountDisable(String)
    case accountEnable(String)
    case accountReset(String)
    /// Another role or other clinics for an account.
    case accountAccess(String)
    /// The region's kiosks: the list, registering one (POST), revoking one.
    case kiosks
    case kioskRevoke(String)
    /// A clinic's day list (nil day: the clinic's today), optionally of one doctor; the same to print, and as CSV.
    case dayList(clinic: String, day: String? = nil, doctor: String? = nil)
    case dayListPrint(clinic: String, day: String, doctor: String?)
    case dayListExport(clinic: String, day: String, doctor: String?)
    /// Choosing doctors' schedules to print, and the print: a week or a month from `from`, one doctor, a specialty's or all.
    case schedules(clinic: String)
    case schedulePrint(clinic: String, from: String, period: String, doctor: String? = nil, specialty: String? = nil)
    /// A clinic's queue: reservations awaiting the clinic and bookings a closed day displaced (`done`:
    /// the decision just made, said at the top); one of them; and the decisions on it (POST).
    case queue(clinic: String, done: String? = nil)
    case queueEntry(clinic: String, appointment: String)
    case queueConfirm(clinic: String, appointment: String)
    case queueRefuse(clinic: String, appointment: String)
    case queueMove(clinic: String, appointment: String)
    /// Statistics of a period (`StatisticsChoice`), and one of its tables as CSV.
    case statistics(StatisticsChoice? = nil)
    case statisticsExport(table: String, StatisticsChoice)

    package static let prefix = "/staff"

    package var path: String {
        switch self {
        case .signIn(let next): Self.prefix + "/sign-in" + (next.map { "?next=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? "")
        case .signOut: Self.prefix + "/sign-out"
        case .password: Self.prefix + "/password"
        case .home: Self.prefix
        case .audit: Self.prefix + "/audit"
        case .auditExport: Self.prefix + "/audit/export"
        case .accounts: Self.prefix + "/accounts"
        case .accountDisable(let id): Self.prefix + "/accounts/\(Self.encode(id))/disable"
        case .accountEnable(let id): Self.prefix + "/accounts/\(Self.encode(id))/enable"
        case .accountReset(let id): Self.prefix + "/accounts/\(Self.encode(id))/reset"
        case .accountAccess(let id): Self.prefix + "/accounts/\(Self.encode(id))/access"
        case .kiosks: Self.prefix + "/kiosks"
        case .kioskRevoke(let id): Self.prefix + "/kiosks/\(Self.encode(id))/revoke"
        case .dayList(let clinic, let day, let doctor): Self.prefix + "/clinics/\(Self.encode(clinic))/day" + Self.query(["day": day, "doctor": doctor])
        case .dayListPrint(let clinic, let day, let doctor): Self.prefix + "/clinics/\(Self.encode(clinic))/day/print" + Self.query(["day": day, "doctor": doctor])
        case .dayListExport(let clinic, let day, let doctor): Self.prefix + "/clinics/\(Self.encode(clinic))/day/export" + Self.query(["day": day, "doctor": doctor])
        case .schedules(let clinic): Self.prefix + "/clinics/\(Self.encode(clinic))/schedules"
        case .queue(let clinic, let done): Self.prefix + "/clinics/\(Self.encode(clinic))/queue" + Self.query(["done": done])
        case .queueEntry(let clinic, let appointment): Self.prefix + "/clinics/\(Self.encode(clinic))/queue/\(Self.encode(appointment))"
        case .queueConfirm(let clinic, let appointment): Self.prefix + "/clinics/\(Self.encode(clinic))/queue/\(Self.encode(appointment))/confirm"
        case .queueRefuse(let clinic, let appointment): Self.prefix + "/clinics/\(Self.encode(clinic))/queue/\(Self.encode(appointment))/refuse"
        case .queueMove(let clinic, let appointment): Self.prefix + "/clinics/\(Self.encode(clinic))/queue/\(Self.encode(appointment))/move"
        case .statistics(let choice): Self.prefix + "/statistics" + Self.query(choice?.query ?? [:])
        case .statisticsExport(let table, let choice): Self.prefix + "/statistics/export" + Self.query(choice.query.merging(["table": table]) { first, _ in first })
        case .schedulePrint(let clinic, let from, let period, let doctor, let specialty):
            Self.prefix + "/clinics/\(Self.encode(clinic))/schedules/print" + Self.query(["from": from, "period": period, "doctor": doctor, "specialty": specialty])
        }
    }

    /// `path` if it is a staff page a sign-in may return to (plain characters, under the prefix, not
    /// the sign-in itself); nil otherwise.
    package static func localPath(_ path: String?) -> String? {
        guard let path, path.utf8.count < 256, path == prefix || path.hasPrefix(prefix + "/"), !path.hasPrefix(signIn().path),
            path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }), !path.contains("//")
        else { return nil }
        return path
    }

    /// `?name=value&…` of the values given, in name order; "" when none is.
    private static func query(_ values: [String: String?]) -> String {
        let pairs = values.compactMap { name, value in value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")" } }.sorted()
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    /// The characters a query value keeps as they are (RFC 3986's unreserved ones): a date reads as a date.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func encode(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics) ?? ""
    }
}

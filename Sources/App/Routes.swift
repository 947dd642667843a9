/// Every address of the site in one place, so that routes and links cannot drift apart.
enum SiteRoute {
    case home
    case health
    case districts
    case district(String)
    case clinic(String)
    case specialty(clinic: String, specialty: String)
    case doctor(clinic: String, doctor: String)
    /// One day of a doctor's free times (`day` as `YYYY-MM-DD` in the clinic's zone).
    case day(clinic: String, doctor: String, day: String)
    case clinicSearch
    /// The check page of one free time (the time buttons' GET form leads here).
    case check(clinic: String, doctor: String, slot: String)
    case doctorSearch

    var path: String {
        switch self {
        case .home: "/"
        case .health: "/health"
        case .districts: "/districts"
        case .district(let id): "/districts/\(Self.encode(id))"
        case .clinic(let id): "/clinics/\(Self.encode(id))"
        case .specialty(let clinic, let specialty): "/clinics/\(Self.encode(clinic))/specialties/\(Self.encode(specialty))"
        case .doctor(let clinic, let doctor): "/clinics/\(Self.encode(clinic))/doctors/\(Self.encode(doctor))"
        case .day(let clinic, let doctor, let day): "/clinics/\(Self.encode(clinic))/doctors/\(Self.encode(doctor))/days/\(Self.encode(day))"
        case .clinicSearch: "/search/clinics"
        case .doctorSearch: "/search/doctors"
        case .check(let clinic, let doctor, let slot): "/book?clinic=\(clinic.urlQueryEncoded)&doctor=\(doctor.urlQueryEncoded)&slot=\(slot.urlQueryEncoded)"
        }
    }

    /// Router patterns for the parameterised routes, next to the paths they match.
    enum Pattern {
        static let district = "/districts/:district"
        static let clinic = "/clinics/:clinic"
        static let specialty = "/clinics/:clinic/specialties/:specialty"
        static let doctor = "/clinics/:clinic/doctors/:doctor"
        static let day = "/clinics/:clinic/doctors/:doctor/days/:day"
    }

    /// `path` if it is an address on this site (for "come back here" links), nil for anything that could lead elsewhere.
    static func localPath(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), path.count < 512 else { return nil }
        return path
    }

    private static func encode(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? ""
    }

    /// Letters, digits and `-._~` stay as they are in a path segment.
    private static let segmentCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
}

import Foundation

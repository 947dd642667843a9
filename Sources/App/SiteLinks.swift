import Booking
import KioskChannel
import OperatorChannel
import PatientChannel
import StaffChannel
import Foundation
import Web
import Templating

/// The site's fixed addresses, for templates: every link comes from `SiteRoute`, none is typed in a
/// template; worked out once.
struct SiteLinks: TemplateObject {
    private static let paths: [String: TemplateValue] = [
        "home": SiteRoute.home, "districts": .districts, "clinicSearch": .clinicSearch, "doctorSearch": .doctorSearch,
        "earliest": .earliest(), "identify": .identify(), "identifyAgain": .identify(expired: true), "session": .session, "me": .me,
        "cabinet": .cabinet(), "cabinetContact": .cabinetContact, "cabinetMessages": .cabinetMessages, "cabinetWaitlist": .cabinetWaitlist(), "waitlist": .waitlist, "logout": .logout, "book": .book,
    ].mapValues { .string($0.path) }.merging([
        // The workstation's, the staff pages' and the kiosk's start pages, for their error pages.
        "operatorHome": .string(OperatorRoute.home.path), "staffHome": .string(StaffRoute.home.path), "kioskHome": .string(KioskRoute.home.path),
    ]) { first, _ in first }

    func templateValue(forKey key: String) -> TemplateValue? {
        Self.paths[key]
    }
}

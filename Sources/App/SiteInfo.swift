import Booking
import KioskChannel
import OperatorChannel
import PatientChannel
import Foundation
import Web
import Templating

/// Facts about the service that every page shows: its name, the year, the version of its static files.
struct SiteInfo: TemplateObject {
    let name = "Регистратура"
    let fullName = "Онлайн-регистратура поликлиник"
    /// Added to static file links so that browsers fetch new styles after a release.
    let assetVersion: String
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    /// The static files' addresses, worked out once (every page names several).
    let assets: SiteAssets
    /// The rules in force, as pages name them: «3 часа» before a visit at the latest, «14 дней» ahead.
    let leadTime: String
    let horizon: String

    init(assetVersion: String, rules: BookingRules = BookingRules()) {
        self.assetVersion = assetVersion
        assets = SiteAssets(version: assetVersion)
        leadTime = RussianCount.hours(rules.leadTime / 3_600)
        horizon = RussianCount.days(rules.horizonDays)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(name)
        case "fullName": .string(fullName)
        case "assetVersion": .string(assetVersion)
        case "year": .int(year)
        case "links": .object(SiteLinks())
        case "assets": .object(assets)
        case "leadTime": .string(leadTime)
        case "horizon": .string(horizon)
        default: nil
        }
    }
}

/// The site's fixed addresses, for templates: every link comes from `SiteRoute`, none is typed in a
/// template; worked out once.
struct SiteLinks: TemplateObject {
    private static let paths: [String: String] = [
        "home": SiteRoute.home, "districts": .districts, "clinicSearch": .clinicSearch, "doctorSearch": .doctorSearch,
        "earliest": .earliest(), "identify": .identify(), "identifyAgain": .identify(expired: true), "session": .session, "me": .me,
        "cabinet": .cabinet(), "cabinetContact": .cabinetContact, "cabinetMessages": .cabinetMessages, "cabinetWaitlist": .cabinetWaitlist(), "waitlist": .waitlist, "logout": .logout, "book": .book,
    ].mapValues(\.path)

    func templateValue(forKey key: String) -> TemplateValue? {
        // The workstation's and the kiosk's start pages, for their error pages.
        if key == "operatorHome" { return .string(OperatorRoute.home.path) }
        if key == "kioskHome" { return .string(KioskRoute.home.path) }
        return Self.paths[key].map { .string($0) }
    }
}

/// The static files pages name, versioned by the release (`SiteRoute.asset`).
struct SiteAssets: TemplateObject {
    private let paths: [String: String]

    init(version: String) {
        let files = [
            "baseCSS": "css/base.css", "patientCSS": "css/patient.css", "operatorCSS": "css/operator.css", "printCSS": "css/print.css",
            "favicon": "images/favicon.svg", "sessionScript": "js/session.js", "printScript": "js/print.js", "filterScript": "js/filter.js",
            "kioskCSS": "css/kiosk.css", "receiptCSS": "css/receipt.css", "kioskScript": "js/kiosk.js",
        ]
        paths = files.mapValues { SiteRoute.asset($0, version: version).path }
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        paths[key].map { .string($0) }
    }
}

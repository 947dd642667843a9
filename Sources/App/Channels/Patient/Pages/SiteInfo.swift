import Foundation
import Templating

/// Facts about the service that every page shows: its name, the year, the version of its static files.
struct SiteInfo: TemplateObject {
    let name = "Регистратура"
    let fullName = "Онлайн-регистратура поликлиник"
    /// Added to static file links so that browsers fetch new styles after a release.
    let assetVersion: String
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(name)
        case "fullName": .string(fullName)
        case "assetVersion": .string(assetVersion)
        case "year": .int(year)
        case "links": .object(SiteLinks())
        case "assets": .object(SiteAssets(version: assetVersion))
        default: nil
        }
    }
}

/// The site's fixed addresses, for templates: every link comes from `SiteRoute`, none is typed in a template.
struct SiteLinks: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? {
        let route: SiteRoute? = switch key {
        case "home": .home
        case "districts": .districts
        case "clinicSearch": .clinicSearch
        case "doctorSearch": .doctorSearch
        case "earliest": .earliest()
        case "identify": .identify()
        case "identifyAgain": .identify(expired: true)
        case "session": .session
        case "me": .me
        case "cabinet": .cabinet()
        case "cabinetContact": .cabinetContact
        case "logout": .logout
        case "book": .book
        default: nil
        }
        return route.map { .string($0.path) }
    }
}

/// The static files pages name, versioned by the release (`SiteRoute.asset`).
struct SiteAssets: TemplateObject {
    let version: String

    func templateValue(forKey key: String) -> TemplateValue? {
        let file: String? = switch key {
        case "baseCSS": "css/base.css"
        case "patientCSS": "css/patient.css"
        case "printCSS": "css/print.css"
        case "favicon": "images/favicon.svg"
        case "sessionScript": "js/session.js"
        case "printScript": "js/print.js"
        default: nil
        }
        return file.map { .string(SiteRoute.asset($0, version: version).path) }
    }
}

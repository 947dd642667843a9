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
        case "siteCSS": "css/site.css"
        case "printCSS": "css/print.css"
        case "favicon": "images/favicon.svg"
        case "sessionScript": "js/session.js"
        case "printScript": "js/print.js"
        default: nil
        }
        return file.map { .string(SiteRoute.asset($0, version: version).path) }
    }
}

/// A short fingerprint of the static files, computed once at start-up.
enum AssetVersion {
    static func of(directory: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        let files = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).sorted()
        for file in files {
            guard let data = FileManager.default.contents(atPath: directory + "/" + file) else { continue }
            for byte in file.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        return String(hash, radix: 36)
    }
}

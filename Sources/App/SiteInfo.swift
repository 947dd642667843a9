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
    let links = SiteLinks()

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
        case "links": .object(links)
        case "assets": .object(assets)
        case "leadTime": .string(leadTime)
        case "horizon": .string(horizon)
        default: nil
        }
    }
}

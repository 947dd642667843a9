import Booking
import KioskChannel
import OperatorChannel
import PatientChannel
import Foundation
import Web
import Templating

/// The static files pages name, versioned by the release (`SiteRoute.asset`).
struct SiteAssets: TemplateObject {
    private let paths: [String: String]

    init(version: String) {
        let files = [
            "baseCSS": "css/base.css", "patientCSS": "css/patient.css", "operatorCSS": "css/operator.css", "staffCSS": "css/staff.css", "staffPrintCSS": "css/staff-print.css", "printCSS": "css/print.css",
            "favicon": "images/favicon.svg", "sessionScript": "js/session.js", "printScript": "js/print.js", "filterScript": "js/filter.js",
            "kioskCSS": "css/kiosk.css", "receiptCSS": "css/receipt.css", "kioskScript": "js/kiosk.js",
        ]
        paths = files.mapValues { SiteRoute.asset($0, version: version).path }
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        paths[key].map { .string($0) }
    }
}

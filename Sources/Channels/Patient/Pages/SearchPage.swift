import Foundation
import Web
import MISBridge
import Templating

/// A search for clinics or doctors: the form, and what it found.
struct SearchPage: TemplateObject {
    /// What is searched.
    enum Kind {
        case clinics, doctors
    }

    let title: String
    let action: String
    let label: String
    let hint: String
    let query: String
    /// The results shown: no more than `SearchController.maximumResults`.
    let results: [ListItem]
    let count: Int
    let searched: Bool
    let tooMany: Bool
    let shown: Int
    /// Some clinic did not answer, so doctors there are missing from the results.
    let someClinicsSilent: Bool
    let crumbs = [BrowseController.start]

    init(kind: Kind, query: String, results: [ListItem] = [], someClinicsSilent: Bool = false) {
        title = kind == .clinics ? "Поиск поликлиники" : "Поиск врача"
        action = kind == .clinics ? SiteRoute.clinicSearch.path : SiteRoute.doctorSearch.path
        label = kind == .clinics ? "Название или адрес поликлиники" : "Фамилия врача или специальность"
        hint = kind == .clinics ? "Например, «поликлиника 3» или «Ленина»" : "Например, «Иванова» или «кардиолог»"
        self.query = query
        self.results = Array(results.prefix(SearchController.maximumResults))
        count = results.count
        searched = !query.isEmpty
        tooMany = results.count > SearchController.maximumResults
        shown = self.results.count
        self.someClinicsSilent = someClinicsSilent
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "action": .string(action)
        case "label": .string(label)
        case "hint": .string(hint)
        case "query": .string(query)
        case "searched": .bool(searched)
        case "results": .list(results.map { .object($0) })
        case "count": .int(count)
        case "tooMany": .bool(tooMany)
        case "shown": .int(shown)
        case "someClinicsSilent": .bool(someClinicsSilent)
        case "crumbs": .list(crumbs.map { .object($0) })
        default: nil
        }
    }
}

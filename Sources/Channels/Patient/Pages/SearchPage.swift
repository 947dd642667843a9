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

    let kind: Kind
    let query: String
    var results: [ListItem] = []
    /// Some clinic did not answer, so doctors there are missing from the results.
    var someClinicsSilent = false

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title":
            .string(kind == .clinics ? "Поиск поликлиники" : "Поиск врача")
        case "action": .string(kind == .clinics ? SiteRoute.clinicSearch.path : SiteRoute.doctorSearch.path)
        case "label": .string(kind == .clinics ? "Название или адрес поликлиники" : "Фамилия врача или специальность")
        case "hint": .string(kind == .clinics ? "Например, «поликлиника 3» или «Ленина»" : "Например, «Иванова» или «кардиолог»")
        case "query": .string(query)
        case "searched": .bool(!query.isEmpty)
        case "results": .list(results.prefix(SearchController.maximumResults).map { .object($0) })
        case "count": .int(results.count)
        case "tooMany": .bool(results.count > SearchController.maximumResults)
        case "shown": .int(min(results.count, SearchController.maximumResults))
        case "someClinicsSilent": .bool(someClinicsSilent)
        case "crumbs": .list([.object(BrowseController.start)])
        default: nil
        }
    }
}

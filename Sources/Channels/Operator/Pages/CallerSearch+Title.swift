import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

extension CallerSearch.NumberKind {
    /// How the search form names the kind.
    var title: String {
        switch self {
        case .any: "определить по виду"
        case .policy: "полис ОМС"
        case .snils: "СНИЛС"
        case .passport: "паспорт"
        }
    }
}

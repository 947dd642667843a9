import Persistence
import Templating

/// A staff page the signed-in role may not use, or a clinic that is not the account's.
public struct ForbiddenPage: TemplateObject {
    let title: String
    let explanation: String
    let homeURL: String

    public init(role: StaffRole, clinic: String? = nil, homeURL: String) {
        if let clinic {
            title = "Это не ваша поликлиника"
            explanation = "Ваша учётная запись открывает страницы только своих поликлиник, а поликлиники с кодом \(clinic) среди них нет. "
                + "Если вы теперь работаете и в ней, попросите администратора добавить её в вашу учётную запись."
        } else {
            title = "Раздел недоступен"
            explanation = "Этот раздел не предназначен для роли «\(role.title)». Если он нужен вам для работы, обратитесь к администратору."
        }
        self.homeURL = homeURL
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "explanation": .string(explanation)
        case "homeURL": .string(homeURL)
        default: nil
        }
    }
}

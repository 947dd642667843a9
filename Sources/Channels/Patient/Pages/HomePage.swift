import Hummingbird
import Web
import Templating

/// The home page's model: its title; the content is the template's.
struct HomePage: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": "Запись к врачу онлайн"
        default: nil
        }
    }
}

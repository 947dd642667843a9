import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// Choosing doctors' schedules to print: from which day, a week or a month, one doctor, a specialty's doctors or all.
struct SchedulesFormPage: TemplateObject {
    let title: String
    let clinic: String
    let from: FormField
    let periods: [SelectOption]
    let doctors: [SelectOption]
    let specialties: [SelectOption]
    let errors: [FormError]
    let action: String

    /// `doctors`: the clinic's doctors as its MIS lists them (nil while it does not answer: all doctors only).
    init(clinic: MISClinic, doctors known: [ClinicDayList.Doctor]?, from typed: String, period: String, doctor: String?, specialty: String?, error: String? = nil) {
        errors = error.map { [FormError(field: "from", message: $0)] } ?? []
        title = (error == nil ? "" : "Ошибка: ") + "Расписание врачей: \(clinic.shortName)"
        self.clinic = clinic.shortName
        from = FormField("from", label: "С какого дня", hint: "Неделя — семь дней с этого дня; месяц — весь месяц, в который он попадает.", value: typed, errors: errors, input: .date)
        periods = [("week", "неделя"), ("month", "месяц")].map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == period) }
        let list = known ?? []
        doctors = [SelectOption(value: "", label: "Все (или выбранной специальности)", selected: doctor == nil)]
            + list.map { SelectOption(value: $0.id, label: "\($0.name) — \($0.specialtyInPhrase)", selected: $0.id == doctor) }
        let named = Dictionary(list.map { ($0.specialtyID, $0.specialty) }, uniquingKeysWith: { first, _ in first })
        specialties = [SelectOption(value: "", label: "Все специальности", selected: specialty == nil)]
            + named.sorted { $0.value < $1.value }.map { SelectOption(value: $0.key, label: $0.value, selected: $0.key == specialty) }
        action = StaffRoute.schedulePrint(clinic: clinic.id, from: "", period: "").path.prefix { $0 != "?" }.description
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "clinic": .string(clinic)
        case "from": .object(from)
        case "periods": .list(periods.map { .object($0) })
        case "doctors": .list(doctors.map { .object($0) })
        case "specialties": .list(specialties.map { .object($0) })
        case "errors": .list(errors.map { .object($0) })
        case "action": .string(action)
        default: nil
        }
    }
}

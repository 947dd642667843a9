import Foundation
import MISBridge
import Persistence
import Templating
import Web

/// The staff start page: whom it greets, the sections their account opens, and their clinics.
struct StaffHomePage: TemplateObject {
    /// One of the account's clinics.
    struct Clinic: TemplateObject {
        let id: String
        let name: String
        /// Today's day list and the doctors' schedules, for the roles that read them.
        let dayListURL: String?
        let schedulesURL: String?
        /// The bookings waiting for the clinic's decision, for its registrars.
        let queueURL: String?

        func templateValue(forKey key: String) -> TemplateValue? {
            switch key {
            case "id": .string(id)
            case "name": .string(name)
            case "dayListURL": .optional(dayListURL)
            case "schedulesURL": .optional(schedulesURL)
            case "queueURL": .optional(queueURL)
            default: nil
            }
        }
    }

    let title = "Рабочее место"
    let name: String
    let role: String
    let sections: [StaffMenuItem]
    let clinics: [Clinic]
    let clinicRole: Bool

    init(account: StaffAccount, sections: [StaffMenuItem], clinics known: [MISClinic]) {
        name = account.name
        role = account.role.title
        self.sections = sections
        clinicRole = account.role.isClinicRole
        let names = Dictionary(known.map { ($0.id, $0.shortName) }, uniquingKeysWith: { first, _ in first })
        let lists = account.role.may(.readClinicLists), decides = account.role.may(.decideBookings)
        clinics = account.clinics.map { Clinic(id: $0, name: names[$0] ?? "Поликлиника с кодом \($0)", dayListURL: lists ? StaffRoute.dayList(clinic: $0).path : nil,
                                           schedulesURL: lists ? StaffRoute.schedules(clinic: $0).path : nil,
                                           queueURL: decides ? StaffRoute.queue(clinic: $0).path : nil) }
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "name": .string(name)
        case "role": .string(role)
        case "sections": .list(sections.map { .object($0) })
        case "clinics": .list(clinics.map { .object($0) })
        case "clinicRole": .bool(clinicRole)
        default: nil
        }
    }
}

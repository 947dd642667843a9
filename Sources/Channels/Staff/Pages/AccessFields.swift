import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The role of an account and the clinics a clinic role works for, as the administrator's forms
/// offer them (`partials/staff/access-fields`): a role list, a check box per clinic of the region.
struct AccessFields: TemplateObject {
    /// One clinic's check box; its field is named `clinic-<id>` (a form gives each name once).
    struct ClinicChoice: TemplateObject {
        let field: String
        let label: String
        let checked: Bool

        func templateValue(forKey key: String) -> TemplateValue? {
            switch key {
            case "field": .string(field)
            case "label": .string(label)
            case "checked": .bool(checked)
            default: nil
            }
        }
    }

    let roles: [SelectOption]
    let clinics: [ClinicChoice]
    let clinicsError: String?
    /// No MIS answered for the region's clinics: none can be chosen now.
    let clinicsUnknown: Bool
    let describedBy: String

    /// `clinics` nil: the region's clinics could not be read.
    init(role: StaffRole, chosen: [String], region clinics: [MISClinic]?, errors: [FormError]) {
        roles = StaffRole.allCases.map { SelectOption(value: $0.rawValue, label: $0.title, selected: $0 == role) }
        clinicsUnknown = clinics == nil
        self.clinics = (clinics ?? []).map { ClinicChoice(field: Self.fieldPrefix + $0.id, label: "\($0.shortName) (код \($0.id))", checked: chosen.contains($0.id)) }
        clinicsError = errors.first { $0.field == Self.errorField }?.message
        describedBy = "clinics-hint" + (clinicsError == nil ? "" : " clinics-error")
    }

    /// The form's field names of clinic check boxes start with this.
    static let fieldPrefix = "clinic-"
    /// The field an error about the clinics is reported on (the first check box's group).
    static let errorField = "clinics"
    static let clinicsMessage = "Регистратору и руководителю поликлиники отметьте хотя бы одну поликлинику; другим ролям поликлиники не отмечают."

    /// The role and clinic ids a posted form chose; nil clinics when one is not a clinic of the region.
    static func chosen(_ form: FormParameters, region clinics: [MISClinic]?) -> (role: StaffRole, clinics: [String]?) {
        let role = StaffRole(rawValue: form["role"] ?? "") ?? .operator
        let known = Set((clinics ?? []).map(\.id))
        let ids = form.pairs.filter { $0.name.hasPrefix(fieldPrefix) }.map { String($0.name.dropFirst(fieldPrefix.count)) }
        return (role, ids.allSatisfy(known.contains) ? ids : nil)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "roles": .list(roles.map { .object($0) })
        case "clinics": .list(clinics.map { .object($0) })
        case "clinicsError": .optional(clinicsError)
        case "clinicsUnknown": .bool(clinicsUnknown)
        case "describedBy": .string(describedBy)
        default: nil
        }
    }
}

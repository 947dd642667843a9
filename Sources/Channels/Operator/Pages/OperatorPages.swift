import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The role as the workstation names it.
extension StaffRole {
    var title: String {
        switch self {
        case .operator: "оператор"
        case .supervisor: "старший оператор"
        case .administrator: "администратор"
        }
    }
}

/// The signed-in staff member as the workstation's header shows them (`session` in templates),
/// with the links their role may use.
struct StaffHeader: TemplateObject {
    let name: String
    let role: StaffRole
    let csrfToken: String
    let secondsLeft: TimeInterval

    init(session: StaffSessionRecord, idleTimeout: TimeInterval, now: Date) {
        name = session.account.name
        role = session.account.role
        csrfToken = session.csrfToken
        secondsLeft = max(0, session.lastSeen.addingTimeInterval(idleTimeout).timeIntervalSince(now))
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(name)
        case "role": .string(role.title)
        case "csrf": .string(csrfToken)
        case "minutesLeft": .int(Int((secondsLeft / 60).rounded(.up)))
        case "homeURL": .string(OperatorRoute.home.path)
        case "passwordURL": .string(OperatorRoute.password.path)
        case "signOutURL": .string(OperatorRoute.signOut.path)
        case "accountsURL": role >= .administrator ? .string(OperatorRoute.accounts.path) : .null
        case "kiosksURL": role >= .administrator ? .string(OperatorRoute.kiosks.path) : .null
        case "auditURL": role >= .supervisor ? .string(OperatorRoute.audit.path) : .null
        default: nil
        }
    }
}

/// The sign-in form.
struct StaffSignInPage: TemplateObject {
    var login = ""
    var next: String?
    var refused = false
    var throttled = false
    var sessionEnded = false
    var signedOut = false
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(refused || throttled ? "Ошибка: вход для сотрудников" : "Вход для сотрудников")
        case "login": .string(login)
        case "next": .optional(next)
        case "refused": .bool(refused)
        case "throttled": .bool(throttled)
        case "sessionEnded": .bool(sessionEnded)
        case "signedOut": .bool(signedOut)
        case "action": .string(OperatorRoute.signIn().path)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

/// The own-password form (also shown after an administrator's reset, before anything else).
struct PasswordPage: TemplateObject {
    var required = false
    var changed = false
    var error: String?
    var field: String?
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(error == nil ? "Смена пароля" : "Ошибка: смена пароля")
        case "required": .bool(required)
        case "changed": .bool(changed)
        case "error": .optional(error)
        case "currentError": field == "current" ? .optional(error) : .null
        case "newError": field == "new" ? .optional(error) : .null
        case "errors": error.map { .list([.object(FormError(field: field ?? "new", message: $0))]) } ?? .list([])
        case "action": .string(OperatorRoute.password.path)
        case "minimumLength": .int(StaffAccounts.PasswordRule.minimumLength)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

/// The administrator's list of accounts, with the new-account form.
struct AccountsPage: TemplateObject {
    var accounts: [StaffAccount]
    var selfID: String
    var form = NewAccountForm()
    /// After a reset: whose, and the temporary password to hand over (shown once).
    var reset: (login: String, password: String)?
    var created: String?
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(form.error == nil ? "Учётные записи" : "Ошибка: учётные записи")
        case "accounts": .list(accounts.map { .object(AccountRow(account: $0, isSelf: $0.id == selfID)) })
        case "form": .object(form)
        case "errors": form.error.map { .list([.object(FormError(field: form.field ?? "login", message: $0))]) } ?? .list([])
        case "resetLogin": .optional(reset?.login)
        case "resetPassword": .optional(reset?.password)
        case "created": .optional(created)
        case "action": .string(OperatorRoute.accounts.path)
        case "roles": .list(StaffRole.allCases.map { role in .object(SelectOption(value: role.rawValue, label: role.title, selected: role == form.role)) })
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

/// What the administrator typed into the new-account form, and what was wrong with it.
struct NewAccountForm: TemplateObject {
    var login = ""
    var name = ""
    var role = StaffRole.operator
    var error: String?
    var field: String?

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "login": .string(login)
        case "name": .string(name)
        case "loginError": field == "login" ? .optional(error) : .null
        case "nameError": field == "name" ? .optional(error) : .null
        case "passwordError": field == "password" ? .optional(error) : .null
        default: nil
        }
    }
}

/// One account in the administrator's list.
struct AccountRow: TemplateObject {
    let account: StaffAccount
    let isSelf: Bool

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "login": .string(account.login)
        case "name": .string(account.name)
        case "role": .string(account.role.title)
        case "disabled": .bool(account.disabledAt != nil)
        case "mustChange": .bool(account.mustChangePassword)
        case "isSelf": .bool(isSelf)
        case "disableURL": .string(OperatorRoute.accountDisable(account.id).path)
        case "enableURL": .string(OperatorRoute.accountEnable(account.id).path)
        case "resetURL": .string(OperatorRoute.accountReset(account.id).path)
        default: nil
        }
    }
}

/// A page the signed-in role may not use.
struct ForbiddenPage: TemplateObject {
    let role: StaffRole

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Раздел недоступен")
        case "role": .string(role.title)
        case "homeURL": .string(OperatorRoute.home.path)
        default: nil
        }
    }
}

/// What the workstation answers outside the networks it is configured for.
struct OutsideNetworkPage: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? {
        key == "title" ? .string("Рабочее место недоступно из этой сети") : nil
    }
}

/// The administrator's kiosks page: the kiosks, the form that registers one, and — once, right
/// after registering — the new kiosk's start address with its token.
struct KiosksPage: TemplateObject {
    var name = ""
    var clinicID = ""
    var network = ""
    var errors: [FormError] = []
    var registered: (name: String, address: String)?
    var clinics: [MISClinic] = []
    var kiosks: [KioskRecord] = []
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Информаты")
        case "name": .string(name)
        case "errors": .list(errors.map { .object($0) })
        case "nameError": .optional(errors.first { $0.field == "name" }?.message)
        case "clinicError": .optional(errors.first { $0.field == "clinic" }?.message)
        case "network": .string(network)
        case "networkError": .optional(errors.first { $0.field == "network" }?.message)
        case "registeredName": .optional(registered?.name)
        case "startAddress": .optional(registered?.address)
        case "clinics": .list(clinics.map { .object(SelectOption(value: $0.id, label: $0.shortName, selected: $0.id == clinicID)) })
        case "kiosks": .list(kiosks.map { kiosk in .object(KioskRow(kiosk: kiosk, clinic: clinics.first { $0.id == kiosk.clinicID }?.shortName ?? kiosk.clinicID)) })
        case "action": .string(OperatorRoute.kiosks.path)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

/// One kiosk in the administrator's list.
struct KioskRow: TemplateObject {
    let kiosk: KioskRecord
    let clinic: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(kiosk.name)
        case "clinic": .string(clinic)
        case "network": .optional(kiosk.network)
        case "createdAt": .date(kiosk.createdAt)
        case "startedAt": kiosk.startedAt.map { .date($0) } ?? .null
        case "revokedAt": kiosk.revokedAt.map { .date($0) } ?? .null
        case "revokeURL": .string(OperatorRoute.kioskRevoke(kiosk.id).path)
        default: nil
        }
    }
}

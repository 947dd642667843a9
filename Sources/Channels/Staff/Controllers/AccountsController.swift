import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The administrator's accounts page: the list, a new account (a clinic role with its clinics),
/// disabling, enabling, resetting a password, another role or other clinics for an account.
struct AccountsController {
    let pages: PageRenderer
    let accounts: StaffAccounts
    let region: Region
    let database: any RegistryStore
    let csrf: CSRF
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(StaffRoute.accounts.pattern) { _, context in try await list(context) }
        group.post(StaffRoute.accounts.pattern) { request, context in try await create(request, context) }
        group.post(StaffRoute.accountDisable(.parameter("account")).pattern) { request, context in try await setDisabled(true, request, context) }
        group.post(StaffRoute.accountEnable(.parameter("account")).pattern) { request, context in try await setDisabled(false, request, context) }
        group.post(StaffRoute.accountReset(.parameter("account")).pattern) { request, context in try await reset(request, context) }
        group.get(StaffRoute.accountAccess(.parameter("account")).pattern) { _, context in try await showAccess(context) }
        group.post(StaffRoute.accountAccess(.parameter("account")).pattern) { request, context in try await changeAccess(request, context) }
    }

    /// The region's clinics, by short name; nil while no MIS answers (accounts can still be managed,
    /// only a clinic role cannot be given then).
    private func clinics() async -> [MISClinic]? {
        do {
            return try await region.clinics().map(\.clinic).sorted { $0.shortName < $1.shortName }
        } catch {
            return nil
        }
    }

    private func list(_ context: StaffContext, form: NewAccountForm = NewAccountForm(), reset: (login: String, password: String)? = nil, created: String? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let staff = context.staff
        let page = AccountsPage(accounts: try await database.accounts(), selfID: staff.account.id, clinics: await clinics(), form: form, reset: reset, created: created,
                                csrfToken: staff.csrfToken)
        return try pages.render("pages/staff/accounts", for: context.viewer, page: page, status: status, caching: .personal)
    }

    private func create(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let staff = context.staff
        let chosen = AccessFields.chosen(form, region: await clinics())
        var entered = NewAccountForm(login: String((form["login"] ?? "").prefix(64)), name: String((form["name"] ?? "").prefix(100)),
                                     role: chosen.role, clinics: chosen.clinics ?? [])
        do {
            guard let clinics = chosen.clinics else { throw StaffAccounts.Problem.clinics }
            let account = try await accounts.create(login: entered.login, name: entered.name, role: entered.role, clinics: clinics, password: form["password"] ?? "",
                                                    by: staff.account, address: context.remoteAddress, now: now())
            return try await list(context, created: account.login)
        } catch let problem as StaffAccounts.Problem {
            (entered.field, entered.error) = switch problem {
            case .badLogin: ("login", "Имя для входа: от 3 до 32 латинских букв, цифр, точек, дефисов или подчёркиваний.")
            case .loginTaken: ("login", "Это имя для входа уже занято.")
            case .emptyName: ("name", "Укажите фамилию и имя сотрудника.")
            case .weakPassword(let text): ("password", text)
            case .clinics: (AccessFields.errorField, AccessFields.clinicsMessage)
            default: ("login", "Учётную запись создать не удалось.")
            }
            return try await list(context, form: entered, status: .unprocessableContent)
        }
    }

    private func setDisabled(_ disabled: Bool, _ request: Request, _ context: StaffContext) async throws -> Response {
        _ = try await csrf.form(request, context: context)
        let staff = context.staff
        let id = try context.parameters.require("account")
        do {
            try await accounts.setDisabled(disabled, accountID: id, by: staff.account, address: context.remoteAddress, now: now())
        } catch StaffAccounts.Problem.notFound {
            throw HTTPError(.notFound)
        } catch StaffAccounts.Problem.ownAccount {
            throw HTTPError(.conflict)
        }
        return .redirect(to: StaffRoute.accounts.path)
    }

    private func reset(_ request: Request, _ context: StaffContext) async throws -> Response {
        _ = try await csrf.form(request, context: context)
        let staff = context.staff
        let id = try context.parameters.require("account")
        guard let account = try await database.account(id: id) else { throw HTTPError(.notFound) }
        let temporary = try await accounts.resetPassword(accountID: id, by: staff.account, address: context.remoteAddress, now: now())
        return try await list(context, reset: (account.login, temporary))
    }

    private func showAccess(_ context: StaffContext, role: StaffRole? = nil, clinics chosen: [String]? = nil, error: String? = nil,
                            status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let account = try await database.account(id: try context.parameters.require("account")) else { throw HTTPError(.notFound) }
        let errors = error.map { [FormError(field: $0 == AccessFields.clinicsMessage ? AccessFields.errorField : "role", message: $0)] } ?? []
        let page = AccountAccessPage(account: account, role: role ?? account.role, clinics: chosen ?? account.clinics, region: await clinics(), errors: errors,
                                     csrfToken: context.staff.csrfToken)
        return try pages.render("pages/staff/account-access", for: context.viewer, page: page, status: status, caching: .personal)
    }

    private func changeAccess(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let id = try context.parameters.require("account")
        let chosen = AccessFields.chosen(form, region: await clinics())
        do {
            guard let clinics = chosen.clinics else { throw StaffAccounts.Problem.clinics }
            _ = try await accounts.changeAccess(accountID: id, role: chosen.role, clinics: clinics, by: context.staff.account, address: context.remoteAddress, now: now())
        } catch StaffAccounts.Problem.notFound {
            throw HTTPError(.notFound)
        } catch StaffAccounts.Problem.ownAccount {
            return try await showAccess(context, role: chosen.role, clinics: chosen.clinics, error: "Свою роль и поликлиники изменить нельзя: это сделает другой администратор.",
                                        status: .conflict)
        } catch StaffAccounts.Problem.clinics {
            return try await showAccess(context, role: chosen.role, clinics: chosen.clinics, error: AccessFields.clinicsMessage, status: .unprocessableContent)
        }
        return .redirect(to: StaffRoute.accounts.path)
    }
}

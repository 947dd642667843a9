import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The administrator's accounts page: the list, a new account, disabling, enabling, resetting a password.
struct AccountsController {
    let pages: PageRenderer
    let accounts: StaffAccounts
    let database: any RegistryStore
    let csrf: CSRF
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(OperatorRoute.accounts.pattern) { _, context in try await list(context) }
        group.post(OperatorRoute.accounts.pattern) { request, context in try await create(request, context) }
        group.post(OperatorRoute.accountDisable(.parameter("account")).pattern) { request, context in try await setDisabled(true, request, context) }
        group.post(OperatorRoute.accountEnable(.parameter("account")).pattern) { request, context in try await setDisabled(false, request, context) }
        group.post(OperatorRoute.accountReset(.parameter("account")).pattern) { request, context in try await reset(request, context) }
    }

    private func list(_ context: StaffContext, form: NewAccountForm = NewAccountForm(), reset: (login: String, password: String)? = nil, created: String? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let staff = context.staff
        let page = AccountsPage(accounts: try await database.accounts(), selfID: staff.account.id, form: form, reset: reset, created: created, csrfToken: staff.csrfToken)
        return try pages.render("pages/operator/accounts", for: context.viewer, page: page, status: status, caching: .personal)
    }

    private func create(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let staff = context.staff
        var entered = NewAccountForm(login: String((form["login"] ?? "").prefix(64)), name: String((form["name"] ?? "").prefix(100)),
                                     role: StaffRole(rawValue: form["role"] ?? "") ?? .operator)
        do {
            let account = try await accounts.create(login: entered.login, name: entered.name, role: entered.role, password: form["password"] ?? "",
                                                    by: staff.account, address: context.remoteAddress, now: now())
            return try await list(context, created: account.login)
        } catch let problem as StaffAccounts.Problem {
            (entered.field, entered.error) = switch problem {
            case .badLogin: ("login", "Имя для входа: от 3 до 32 латинских букв, цифр, точек, дефисов или подчёркиваний.")
            case .loginTaken: ("login", "Это имя для входа уже занято.")
            case .emptyName: ("name", "Укажите фамилию и имя сотрудника.")
            case .weakPassword(let text): ("password", text)
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
        return .redirect(to: OperatorRoute.accounts.path)
    }

    private func reset(_ request: Request, _ context: StaffContext) async throws -> Response {
        _ = try await csrf.form(request, context: context)
        let staff = context.staff
        let id = try context.parameters.require("account")
        guard let account = try await database.account(id: id) else { throw HTTPError(.notFound) }
        let temporary = try await accounts.resetPassword(accountID: id, by: staff.account, address: context.remoteAddress, now: now())
        return try await list(context, reset: (account.login, temporary))
    }
}

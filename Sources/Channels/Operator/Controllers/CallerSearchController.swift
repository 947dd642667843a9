import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// Finding the caller: the search form is the workstation's start page; the search is a POST, so
/// that no policy, SNILS or passport number lands in an address (and in a proxy's log).
struct CallerSearchController {
    let pages: PageRenderer
    let search: CallerSearch
    let region: Region
    let database: any RegistryStore
    let csrf: CSRF
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(OperatorRoute.home.pattern) { _, context in try show(CallerSearchForm(), context) }
        group.post(OperatorRoute.search.pattern) { request, context in try await find(request, context) }
    }

    private func show(_ typed: CallerSearchForm, errors: [FormError] = [], found: (results: [CallerRow], more: Bool, unanswered: Bool)? = nil, _ context: StaffContext,
                      status: HTTPResponse.Status = .ok) throws -> Response {
        let page = CallerSearchPage(typed: typed, errors: errors, results: found?.results, more: found?.more ?? false, unanswered: found?.unanswered ?? false,
                                    csrfToken: context.staff.csrfToken)
        return try pages.render("pages/operator/search", for: context.viewer, page: page, status: status, caching: .personal)
    }

    private func find(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let staff = context.staff
        let typed = CallerSearchForm(form: form)
        let now = self.now()
        let today = ProtocolTime.day(now, in: TimeZone(identifier: "Europe/Moscow")!)
        switch CallerSearch.key(number: typed.number, kind: typed.kind, lastName: typed.lastName, firstName: typed.firstName, birthDate: typed.birthDate, today: today) {
        case .failure(let problem):
            return try show(typed, errors: [Self.error(problem)], context, status: .unprocessableContent)
        case .success(let key):
            let found: CallerSearch.Found
            do {
                found = try await search.search(key, by: staff.account, address: context.remoteAddress, now: now)
            } catch is CallerSearch.Throttled {
                let error = FormError(field: "number", message: "Слишком много поисков за короткое время. Подождите несколько минут; если поиск нужен для работы, обратитесь к старшему оператору.")
                var response = try show(typed, errors: [error], context, status: .tooManyRequests)
                response.headers[.retryAfter] = String(Int(search.window))
                return response
            }
            let names = Dictionary((try? await region.clinics())?.map { ($0.clinic.id, $0.clinic.shortName) } ?? [], uniquingKeysWith: { first, _ in first })
            try await database.saveStaffSearch(sessionID: staff.id, callers: found.callers.map(\.record))
            let results = found.callers.enumerated().map { CallerRow(caller: $1, index: $0, clinicNames: names) }
            return try show(typed, found: (results, found.more, found.unanswered > 0), context)
        }
    }

    private static func error(_ problem: CallerSearch.KeyProblem) -> FormError {
        switch problem {
        case .nothingGiven: FormError(field: "number", message: "Введите номер полиса, СНИЛС или паспорта — или фамилию, имя и дату рождения.")
        case .policy(let message), .snils(let message): FormError(field: "number", message: message)
        case .passport: FormError(field: "number", message: "Паспорт — это серия из 4 цифр и номер из 6 цифр, например 45 10 123456.")
        case .name(let field, let message): FormError(field: field, message: message)
        }
    }
}

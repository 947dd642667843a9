import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence

/// Identification by OMS policy and birth date (and the identity document when a MIS finds several
/// cards); the session it creates; leaving it.
struct IdentifyController {
    let pages: PageRenderer
    let region: Region
    let database: AppDatabase
    let secureCookies: Bool

    /// Guessing is slowed down per policy and per client address.
    static let attemptsPerPolicy = 10
    static let attemptsPerAddress = 30
    static let attemptWindow: TimeInterval = 3_600

    /// The form's fields as posted.
    struct Form: Decodable {
        var policy: String?
        var birthDate: String?
        var document: String?
        var next: String?
        var csrf: String?
    }

    func addRoutes(to router: Router<RegistryRequestContext>) {
        router.get("/identify") { request, _ in
            try show(IdentifyPage(next: Self.safeNext(request.uri.queryParameters["next"].map(String.init))), request: request)
        }
        router.post("/identify") { request, context in try await identify(request, context) }
        router.post("/logout") { request, context in try await logout(request, context) }
        router.get("/me") { request, context in
            guard let patient = context.session?.patient else { return Response.redirect(to: "/identify?next=/me", type: .normal) }
            return try CSRF.respond(to: request, secure: secureCookies) { token in
                try pages.render("pages/patient/me", page: MePage(patient: patient, csrfToken: token), caching: .personal)
            }
        }
    }

    private func show(_ page: IdentifyPage, request: Request, status: HTTPResponse.Status = .ok) throws -> Response {
        try CSRF.respond(to: request, secure: secureCookies) { token in
            var page = page
            page.csrfToken = token
            return try pages.render("pages/patient/identify", page: page, status: status, caching: .personal)
        }
    }

    private func identify(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1_024)
        let form = try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
        try CSRF.check(request, formToken: form.csrf)
        var page = IdentifyPage(next: Self.safeNext(form.next), policy: form.policy ?? "", birthDate: form.birthDate ?? "", document: form.document ?? "")
        page.asksDocument = !(form.document ?? "").isEmpty

        let today = BookingRules.day(Date(), TimeZone(identifier: "Europe/Moscow")!)
        var policy: PolicyNumber?
        do {
            policy = try PolicyNumber(parsing: form.policy ?? "")
        } catch {
            page.errors.append(FormError(field: "policy", message: Self.message(for: error)))
        }
        let birthDate = BirthDate.parse(form.birthDate ?? "", today: today)
        if birthDate == nil {
            page.errors.append(FormError(field: "birthDate", message: "Введите дату рождения в виде ДД.ММ.ГГГГ, например 05.03.1984."))
        }
        guard let policy, let birthDate else { return try show(page, request: request, status: .unprocessableContent) }

        let key = AppDatabase.patientKey(policy: policy.protocolValue, birthDate: birthDate)
        let now = Date()
        let byPolicy = try database.countAttempt(key: "policy:" + key, now: now, window: Self.attemptWindow)
        let byAddress = try database.countAttempt(key: "address:" + (context.remoteAddress ?? "unknown"), now: now, window: Self.attemptWindow)
        guard byPolicy <= Self.attemptsPerPolicy, byAddress <= Self.attemptsPerAddress else {
            page.errors.append(FormError(field: "policy", message: "Слишком много попыток входа. Подождите час или обратитесь в регистратуру поликлиники."))
            return try show(page, request: request, status: .tooManyRequests)
        }

        let query = MISPatientQuery(policy: policy.protocolValue, birthDate: birthDate, document: (form.document ?? "").isEmpty ? nil : form.document)
        let outcome = try await findCards(query)
        if outcome.found.isEmpty {
            if outcome.several {
                page.asksDocument = true
                page.errors.append(FormError(field: "document", message: "Найдено несколько карт с такими данными. Укажите серию и номер паспорта или свидетельства о рождении."))
                return try show(page, request: request, status: .unprocessableContent)
            }
            if outcome.allDown { throw HTTPError(.serviceUnavailable) }
            page.notFound = true
            return try show(page, request: request, status: .unprocessableContent)
        }

        let first = outcome.found[0].patient
        let patient = IdentifiedPatient(
            key: key, displayName: first.firstName + " " + String(first.lastName.prefix(1)) + ".", birthDate: birthDate,
            clinicPatients: Dictionary(outcome.found.map { ($0.clinic, $0.patient.id) }, uniquingKeysWith: { first, _ in first })
        )
        let sessionID = CSRF.randomToken()
        let csrf = CSRF.randomToken()
        try database.identify(session: context.session?.id ?? "", as: sessionID, csrfToken: csrf, patient: patient, now: now)
        var response = Response.redirect(to: page.next ?? "/cabinet", type: .found)
        response.status = .seeOther
        response.setCookie(SessionMiddleware.cookie(sessionID, secure: secureCookies))
        response.setCookie(CSRF.cookie(csrf, secure: secureCookies))
        return response
    }

    private func logout(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 4_096)
        let form = try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
        try CSRF.check(request, formToken: form.csrf)
        if let id = context.session?.id { try database.deleteSession(id: id) }
        var response = Response.redirect(to: "/", type: .normal)
        response.status = .seeOther
        response.setCookie(SessionMiddleware.expiredCookie(secure: secureCookies))
        return response
    }

    /// Asks every clinic's MIS at once; a clinic that is down does not block the others.
    private func findCards(_ query: MISPatientQuery) async throws -> (found: [(clinic: String, patient: MISPatient)], several: Bool, allDown: Bool) {
        let clinics: [(clinic: MISClinic, client: MISClient)]
        do {
            clinics = try await region.clinics()
        } catch {
            throw HTTPError(.serviceUnavailable)
        }
        let results = await withTaskGroup(of: (String, Result<MISPatient, MISFailure>).self) { group in
            for (clinic, client) in clinics {
                group.addTask {
                    do {
                        return (clinic.id, .success(try await client.checkPatient(clinic: clinic.id, query)))
                    } catch {
                        return (clinic.id, .failure(error as? MISFailure ?? MISFailure(.unreachable)))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        var found: [(String, MISPatient)] = []
        var several = false
        var down = 0
        for (clinic, result) in results {
            switch result {
            case .success(let patient): found.append((clinic, patient))
            case .failure(let failure):
                if failure.code == .severalPatientsFound { several = true }
                if failure.isOutage { down += 1 }
            }
        }
        return (found.sorted { $0.0 < $1.0 }, several, !results.isEmpty && down == results.count)
    }

    /// Only a path on this site may follow identification.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.count < 512 else { return nil }
        return next
    }

    private static func message(for problem: PolicyNumber.Problem) -> String {
        switch problem {
        case .empty: "Введите номер полиса ОМС."
        case .checkDigitMismatch: "В номере полиса, похоже, опечатка: проверьте все 16 цифр."
        case .unrecognised: "Номер полиса — это 16 цифр, или серия и номер полиса старого образца."
        }
    }
}

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
    /// Attempts per client address an hour (configurable).
    let attemptsPerAddress: Int
    static let attemptWindow: TimeInterval = 3_600
    /// Birth dates and ages are reckoned by the region's calendar.
    static let regionZone = TimeZone(identifier: "Europe/Moscow")!

    /// The form's fields as posted.
    struct Form: Decodable {
        var policy: String?
        var birthDate: String?
        var document: String?
        var next: String?
        var csrf: String?
    }

    func addRoutes(to router: Router<RegistryRequestContext>) {
        router.get("/identify") { request, context in
            var page = IdentifyPage(next: SiteRoute.localPath(request.uri.queryParameters["next"].map(String.init)))
            page.sessionEnded = request.uri.queryParameters["expired"] == "1"
            return try show(page, request: request)
        }
        // Any request keeps a session alive; this one does nothing else, and always writes the activity down (the page's "stay signed in" button asks it).
        router.get("/session") { _, context in
            guard let session = context.session, session.patient != nil else { return Response(status: .unauthorized, headers: [.cacheControl: "no-store"]) }
            try database.touchSession(id: session.id, now: Date())
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
        router.post("/identify") { request, context in try await identify(request, context) }
        router.post("/logout") { request, context in try await logout(request, context) }
        router.get("/me") { request, context in
            guard let patient = context.session?.patient else { return Self.askToIdentify(next: "/me", context) }
            let shortcuts = await PatientShortcuts.find(for: patient, in: region, today: BookingRules.day(Date(), Self.regionZone))
            return try CSRF.respond(to: request, secure: secureCookies) { token in
                try pages.render("pages/patient/me", page: MePage(patient: patient, shortcuts: shortcuts, csrfToken: token), caching: .personal)
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
        var page = IdentifyPage(next: SiteRoute.localPath(form.next), policy: form.policy ?? "", birthDate: form.birthDate ?? "", document: form.document ?? "")
        page.asksDocument = !(form.document ?? "").isEmpty

        let today = BookingRules.day(Date(), Self.regionZone)
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
        let counts = try database.countAttempts(keys: ["policy:" + key, "address:" + (context.remoteAddress ?? "unknown")], now: now, window: Self.attemptWindow)
        guard counts[0] <= Self.attemptsPerPolicy, counts[1] <= attemptsPerAddress else {
            page.errors.append(FormError(field: "policy", message: "Слишком много попыток входа. Подождите час или обратитесь в регистратуру поликлиники."))
            return try show(page, request: request, status: .tooManyRequests)
        }

        let query = MISPatientQuery(policy: policy.protocolValue, birthDate: birthDate, document: (form.document ?? "").isEmpty ? nil : form.document)
        guard let outcome = try await findCards(query) else { return try unavailable(page, request: request) }
        if outcome.found.isEmpty {
            if outcome.several {
                page.asksDocument = true
                page.errors.append(FormError(field: "document", message: "Найдено несколько карт с такими данными. Укажите серию и номер паспорта или свидетельства о рождении."))
                return try show(page, request: request, status: .unprocessableContent)
            }
            if outcome.allDown { return try unavailable(page, request: request) }
            page.notFound = true
            return try show(page, request: request, status: .unprocessableContent)
        }

        let first = outcome.found[0].patient
        let patient = IdentifiedPatient(
            key: key, displayName: first.firstName + " " + String(first.lastName.prefix(1)) + ".", birthDate: birthDate,
            cards: Dictionary(outcome.found.map { found in
                (found.clinic, ClinicCard(patientID: found.patient.id, attachedClinicID: found.patient.attachedClinicID, attachedDistrict: found.patient.attachedDistrict, dispensarySpecialtyIDs: found.patient.dispensarySpecialtyIDs))
            }, uniquingKeysWith: { first, _ in first })
        )
        let sessionID = CSRF.randomToken()
        let csrf = CSRF.randomToken()
        try database.identify(session: context.session?.id ?? "", as: sessionID, csrfToken: csrf, patient: patient, now: now)
        var response = Response.redirect(to: page.next ?? "/me")
        response.setCookie(SessionMiddleware.cookie(sessionID, secure: secureCookies))
        response.setCookie(CSRF.cookie(csrf, secure: secureCookies))
        return response
    }

    private func logout(_ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 4_096)
        let form = try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
        try CSRF.check(request, formToken: form.csrf)
        if let id = context.session?.id { try database.deleteSession(id: id) }
        var response = Response.redirect(to: "/")
        response.setCookie(SessionMiddleware.expiredCookie(secure: secureCookies))
        return response
    }

    /// The way to a page that needs identification: the form, which leads back here afterwards and
    /// says why when the patient's session has just lapsed.
    static func askToIdentify(next: String, _ context: RegistryRequestContext) -> Response {
        Response.redirect(to: "/identify?next=" + next.urlQueryEncoded + (context.sessionExpired ? "&expired=1" : ""), type: .normal)
    }

    /// The clinics did not answer: the same form, filled in, to send again in a minute.
    private func unavailable(_ page: IdentifyPage, request: Request) throws -> Response {
        var page = page
        page.unavailable = true
        var response = try show(page, request: request, status: .serviceUnavailable)
        response.headers[.retryAfter] = "30"
        return response
    }

    /// Asks every gateway at once (each answers for all its clinics); a gateway that is down does
    /// not block the others. Nil when no gateway is configured.
    private func findCards(_ query: MISPatientQuery) async throws -> (found: [MISClinicCard], several: Bool, allDown: Bool)? {
        // A plain struct crosses the task group: a tuple holding a typed Result crashed the release
        // build under load (Swift 6.3.1, while the group copied the tuple).
        let results = await withTaskGroup(of: CardLookup.self) { group in
            for client in region.clients {
                group.addTask {
                    do throws(MISFailure) {
                        return CardLookup(cards: try await client.patientCards(query), failure: nil)
                    } catch {
                        return CardLookup(cards: [], failure: error)
                    }
                }
            }
            var all: [CardLookup] = []
            for await lookup in group { all.append(lookup) }
            return all
        }
        guard !results.isEmpty else { return nil }
        let failures = results.compactMap(\.failure)
        let found = results.flatMap(\.cards).sorted { $0.clinic < $1.clinic }
        return (found, failures.contains { $0.code == .severalPatientsFound }, failures.count == results.count && failures.allSatisfy(\.isOutage))
    }

    private static func message(for problem: PolicyNumber.Problem) -> String {
        switch problem {
        case .empty: "Введите номер полиса ОМС."
        case .checkDigitMismatch: "В номере полиса, похоже, опечатка: проверьте все 16 цифр."
        case .unrecognised: "Номер полиса — это 16 цифр, или серия и номер полиса старого образца."
        }
    }

    /// One gateway's answer: the patient's cards in its clinics, or why there are none.
    private struct CardLookup: Sendable {
        let cards: [MISClinicCard]
        let failure: MISFailure?
    }
}

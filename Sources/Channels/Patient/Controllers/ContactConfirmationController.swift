import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// Confirming a patient's contacts: the phone's code typed in the cabinet, a confirmation sent
/// again, and the link a confirmation mail carries (it asks before it confirms).
struct ContactConfirmationController {
    let pages: PageRenderer
    let database: any RegistryStore
    let csrf: CSRF
    let now: @Sendable () -> Date

    /// What the contact page says at the top after a step (`?notice=`).
    static let notices = [
        "sent": "Мы отправили подтверждение: код — по SMS на телефон, ссылку — на почту. Пока контакт не подтверждён, талоны и напоминания на него не отправляются.",
        "limited": "Подтверждений на этот контакт за сутки отправлено уже столько, сколько можно. Попробуйте завтра — или проверьте, верно ли он записан.",
        "phone": "Телефон подтверждён: теперь на него приходят талоны и напоминания, в том числе те, что ждали подтверждения.",
    ]

    func addRoutes(to router: RouterGroup<PatientRequestContext>) {
        // The code and resend forms are on the contact page.
        let identified = router.identified(csrf, formPage: SiteRoute.cabinetContact.path)
        identified.post(SiteRoute.cabinetContactCode.pattern) { request, context in try await confirmCode(request, context) }
        identified.post(SiteRoute.cabinetContactResend.pattern) { request, context in
            let form = try await csrf.form(request, context: context, limit: 4_096)
            let patient = context.patient
            let channel = OutboxMessage.Channel(rawValue: form["channel"] ?? "")
            let started = try await ContactConfirmations(database: database).start(patientKey: patient.key, only: channel, now: now())
            return Response.redirect(to: SiteRoute.cabinetContact.path + "?notice=" + (started.limited.isEmpty ? "sent" : "limited"))
        }
        router.get(SiteRoute.contactConfirm().pattern) { request, context in
            let token = request.uri.queryParameters["token"].map(String.init) ?? ""
            let found = try await ContactConfirmations(database: database).confirmation(token: token, now: now())
            let page = ContactConfirmPage(token: token, address: found.flatMap { $0.channel == .email ? MessageRow.masked($0.recipient, channel: .email) : nil })
            return try render(page, request, context, status: page.address == nil ? .notFound : .ok)
        }
        router.post(SiteRoute.contactConfirm().pattern) { request, context in
            let form = try await csrf.form(request, context: context, limit: 4_096)
            let token = form["token"] ?? ""
            let confirmations = ContactConfirmations(database: database)
            let address = try await confirmations.confirmation(token: token, now: now()).map { MessageRow.masked($0.recipient, channel: .email) }
            guard try await confirmations.confirmEmail(token: token, now: now()) else {
                return try render(ContactConfirmPage(token: token, address: nil), request, context, status: .notFound)
            }
            return try render(ContactConfirmPage(token: token, address: address, confirmed: true), request, context)
        }
    }

    private func confirmCode(_ request: Request, _ context: IdentifiedContext) async throws -> Response {
        let form = try await csrf.form(request, context: context, limit: 4_096)
        let patient = context.patient
        if try await ContactConfirmations(database: database).confirmPhone(patientKey: patient.key, code: form["code"] ?? "", now: now()) {
            return Response.redirect(to: SiteRoute.cabinetContact.path + "?notice=phone")
        }
        let saved = try await database.contact(patientKey: patient.key)
        let page = ContactPage(form: ContactForm(phone: saved?.phone, email: saved?.email, consent: saved != nil, unicodeMailboxes: true), saved: saved != nil,
                               csrfToken: form[CSRF.fieldName] ?? "", record: saved,
                               codeError: "Код не подошёл. Введите шесть цифр из последнего SMS; после пяти неверных попыток или через сутки попросите новый код.")
        return try pages.render("pages/patient/contact", for: context.viewer, page: page, status: .unprocessableContent, caching: .personal)
    }

    private func render(_ page: ContactConfirmPage, _ request: Request, _ context: PatientRequestContext, status: HTTPResponse.Status = .ok) throws -> Response {
        try csrf.respond(to: request, context: context) { token in
            try pages.render("pages/patient/contact-confirm", for: context.viewer, page: page.with(csrfToken: token), status: status, caching: .personal)
        }
    }
}

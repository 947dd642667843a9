import Hummingbird
import Web
import Persistence

/// The patient channel's request context: the base context plus, once identified, the patient's
/// session (loaded by `SessionMiddleware` on the channel's route group).
struct PatientRequestContext: ChildRequestContext, PrincipalContext {
    var coreContext: CoreRequestContextStorage
    /// The client's IP address, for throttling (nil in router tests).
    let remoteAddress: String?
    /// The identified patient's session, loaded from the session cookie.
    var session: SessionRecord?
    /// The browser sent a session cookie whose session has ended (idle too long).
    var sessionExpired = false
    /// Who the pages are rendered for (set by `SessionMiddleware`).
    var viewer = PageViewer()

    init(context: RegistryRequestContext) {
        // The parent's storage as it is: its logger and the route parameters the router found.
        coreContext = context.coreContext
        remoteAddress = context.remoteAddress
    }

    var sessionFormToken: String? { session?.csrfToken }

    var principal: IdentifiedSession? {
        guard let session, let patient = session.patient else { return nil }
        return IdentifiedSession(session: session, patient: patient)
    }
}

/// An identified patient's session on the site, with the patient it identified.
struct IdentifiedSession: Sendable {
    let session: SessionRecord
    let patient: IdentifiedPatient

    /// The patient's ledger as read with the session, for the pages that ask for it
    /// (`SiteRoute.startsWithLedger`), else read now: a request's first look at the patient's
    /// bookings. After the request has written to the ledger, read it from the store again.
    func ledgerAtStart(in database: any RegistryStore) async throws -> [LedgerEntry] {
        if let ledger = session.ledger { return ledger }
        return try await database.bookings(patientKey: patient.key)
    }
}

/// The context of the site's pages for an identified patient (behind `RequireIdentifiedPatient`).
typealias IdentifiedContext = SignedInContext<PatientRequestContext>

extension SignedInContext where Parent == PatientRequestContext {
    var patient: IdentifiedPatient { principal.patient }

    /// The patient's ledger at the start of the request (`IdentifiedSession.ledgerAtStart`).
    func ledgerAtStart(in database: any RegistryStore) async throws -> [LedgerEntry] {
        try await principal.ledgerAtStart(in: database)
    }
}

/// Sends a visitor who has not identified (or whose session ended) to identification, and back
/// afterwards: to the page asked for, or for a form, to `formPage` (else the page of the form's own
/// address). A form is read and its token checked first, as its own handler would: a malformed or
/// forged one is refused as such. Pages whose way back depends on what was posted answer the
/// visitor themselves.
struct RequireIdentifiedPatient: RouterMiddleware {
    typealias Context = PatientRequestContext

    let csrf: CSRF
    /// Where a form sent without a session leads back to; nil: the form's own address, if it is a page.
    let formPage: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.principal == nil else { return try await next(request, context) }
        if request.method == .get || request.method == .head {
            return IdentifyController.askToIdentify(next: SiteRoute.localPath(request.uri.string) ?? SiteRoute.me.path, context)
        }
        _ = try await csrf.form(request, context: context)
        return IdentifyController.askToIdentify(next: formPage ?? SiteRoute.localPath(request.uri.path) ?? SiteRoute.me.path, context)
    }
}

extension RouterGroup<PatientRequestContext> {
    /// A group of pages for an identified patient only (`RequireIdentifiedPatient`).
    func identified(_ csrf: CSRF, formPage: String? = nil) -> RouterGroup<IdentifiedContext> {
        group().add(middleware: RequireIdentifiedPatient(csrf: csrf, formPage: formPage)).group(context: IdentifiedContext.self)
    }
}

import Hummingbird
import Web
import Persistence

/// The patient channel's request context: the base context plus, once identified, the patient's
/// session (loaded by `SessionMiddleware` on the channel's route group).
struct PatientRequestContext: ChildRequestContext, FormTokenContext {
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

    /// The patient's ledger as read with the session, for the pages that ask for it
    /// (`SiteRoute.startsWithLedger`), else read now: a request's first look at the patient's
    /// bookings. After the request has written to the ledger, read it from the store again.
    func ledgerAtStart(of patient: IdentifiedPatient, in database: any RegistryStore) async throws -> [LedgerEntry] {
        if let ledger = session?.ledger, session?.patient?.key == patient.key { return ledger }
        return try await database.bookings(patientKey: patient.key)
    }
}

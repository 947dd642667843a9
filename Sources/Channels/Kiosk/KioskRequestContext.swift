import Hummingbird
import Persistence
import Web

/// The kiosk's request context: the base context plus the kiosk the device token names and, once
/// someone identified at it, their session there (both loaded by `KioskDeviceMiddleware`).
struct KioskRequestContext: ChildRequestContext, PrincipalContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: String?
    /// The live kiosk this request comes from (set for every page but the start address).
    var device: KioskRecord?
    /// The session of the patient standing at the kiosk.
    var session: SessionRecord?
    var viewer = PageViewer()

    init(context: RegistryRequestContext) {
        coreContext = context.coreContext
        remoteAddress = context.remoteAddress
    }

    var sessionFormToken: String? { session?.csrfToken }

    /// The patient standing at the kiosk, if they have identified.
    var patient: IdentifiedPatient? { session?.patient }

    var principal: KioskPatient? {
        guard let device, let session, let patient = session.patient else { return nil }
        return KioskPatient(device: device, session: session, patient: patient)
    }
}

/// The patient standing at a live kiosk: who they are, their session there, and the kiosk.
struct KioskPatient: Sendable {
    let device: KioskRecord
    let session: SessionRecord
    let patient: IdentifiedPatient
}

/// The context of the kiosk's screens for an identified patient (behind `RequireKioskPatient`).
typealias KioskPatientContext = SignedInContext<KioskRequestContext>

extension SignedInContext where Parent == KioskRequestContext {
    var patient: IdentifiedPatient { principal.patient }
    var session: SessionRecord { principal.session }
    var device: KioskRecord { principal.device }
}

/// Sends whoever has not identified at this kiosk (or whose session there ended) to the start screen.
struct RequireKioskPatient: RouterMiddleware {
    typealias Context = KioskRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.principal != nil else { return KioskStartController.toStart() }
        return try await next(request, context)
    }
}

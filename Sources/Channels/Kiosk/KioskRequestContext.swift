import Hummingbird
import Persistence
import Web

/// The kiosk's request context: the base context plus the kiosk the device token names and, once
/// someone identified at it, their session there (both loaded by `KioskDeviceMiddleware`).
struct KioskRequestContext: ChildRequestContext, FormTokenContext {
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
}

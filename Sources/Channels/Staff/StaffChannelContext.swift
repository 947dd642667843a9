import Hummingbird
import Persistence
import Web

/// The staff pages' request context: the base context plus, once signed in, the staff member's
/// session with their account (loaded by `StaffSessionMiddleware`).
struct StaffChannelContext: ChildRequestContext, StaffRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's address (behind a trusted proxy, the one it forwarded), for throttling and the audit trail.
    let remoteAddress: String?
    var staff: StaffSessionRecord?
    var sessionExpired = false
    var viewer = PageViewer()

    init(context: RegistryRequestContext) {
        coreContext = context.coreContext
        remoteAddress = context.remoteAddress
    }
}

/// The context of the staff pages for a signed-in staff member (behind `RequireStaffPermission`).
typealias StaffContext = SignedInContext<StaffChannelContext>

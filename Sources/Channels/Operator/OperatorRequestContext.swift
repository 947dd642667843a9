import Hummingbird
import Persistence
import Web

/// The workstation's request context: the base context plus, once signed in, the staff member's
/// session with their account (loaded by `StaffSessionMiddleware`).
struct OperatorRequestContext: ChildRequestContext, PrincipalContext {
    var coreContext: CoreRequestContextStorage
    /// The client's address (behind a trusted proxy, the one it forwarded), for throttling and the audit trail.
    let remoteAddress: String?
    var staff: StaffSessionRecord?
    /// The browser sent a staff cookie whose session has ended.
    var sessionExpired = false
    var viewer = PageViewer()

    init(context: RegistryRequestContext) {
        coreContext = context.coreContext
        remoteAddress = context.remoteAddress
    }

    var sessionFormToken: String? { staff?.csrfToken }
    var principal: StaffSessionRecord? { staff }
}

/// The context of the workstation's pages for a signed-in staff member (behind `RequireStaffRole`).
typealias StaffContext = SignedInContext<OperatorRequestContext>

extension SignedInContext where Parent == OperatorRequestContext {
    /// The signed-in staff member's session, their account included.
    var staff: StaffSessionRecord { principal }
}

import Hummingbird
import Persistence

/// The request context of a staff channel: once signed in, the staff member's session with their
/// account (loaded by `StaffSessionMiddleware`).
public protocol StaffRequestContext: PrincipalContext where Principal == StaffSessionRecord {
    var staff: StaffSessionRecord? { get set }
    /// The browser sent a staff cookie whose session has ended.
    var sessionExpired: Bool { get set }
    var viewer: PageViewer { get set }
}

extension StaffRequestContext {
    public var sessionFormToken: String? { staff?.csrfToken }
    public var principal: StaffSessionRecord? { staff }
}

extension SignedInContext where Parent: StaffRequestContext {
    /// The signed-in staff member's session, their account included.
    public var staff: StaffSessionRecord { principal }
}

import Hummingbird

/// What every channel's request context carries besides the framework's: the caller's address, who
/// its pages are rendered for, and (through `FormTokenContext`) the form token of whoever signed in.
public protocol ChannelContext: FormTokenContext {
    /// The client's address (behind a trusted proxy, the one it forwarded); nil in router tests.
    var remoteAddress: String? { get }
    /// Who the pages are rendered for.
    var viewer: PageViewer { get }
}

/// A channel's context whose middleware loads the channel's principal — the identified patient,
/// the patient at a kiosk, the signed-in staff member — when there is one.
public protocol PrincipalContext: ChannelContext {
    /// Who a signed-in request is made by, as the channel knows them.
    associatedtype Principal: Sendable
    /// The principal, nil before anyone signed in (or after their session ended).
    var principal: Principal? { get }
}

/// The context of a channel's routes that need its principal: the parent context with the
/// principal certain. The group's middleware, run on the parent context, answers a request without
/// one first (the channel's way: a redirect to sign in, the start screen); the throw here (401)
/// guards only against a route mounted outside such a group.
public struct SignedInContext<Parent: PrincipalContext>: ChildRequestContext, ChannelContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String?
    public let viewer: PageViewer
    public let sessionFormToken: String?
    /// The signed-in principal.
    public let principal: Parent.Principal

    public init(context: Parent) throws {
        guard let principal = context.principal else { throw HTTPError(.unauthorized) }
        // The parent's storage as it is: its logger and the route parameters the router found.
        coreContext = context.coreContext
        remoteAddress = context.remoteAddress
        viewer = context.viewer
        sessionFormToken = context.sessionFormToken
        self.principal = principal
    }
}

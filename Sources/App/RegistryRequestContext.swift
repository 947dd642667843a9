import Hummingbird
import Persistence

/// Per-request state of the registry: the caller's address and, once identified, their session.
public struct RegistryRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, for throttling (nil in router tests).
    public let remoteAddress: String?
    /// The identified patient's session, loaded from the session cookie.
    public var session: SessionRecord?
    /// The browser sent a session cookie whose session has ended (idle too long).
    public var sessionExpired = false
    /// Who the pages are rendered for (set by `SessionMiddleware`).
    var viewer = PageViewer(session: nil, here: nil)

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}

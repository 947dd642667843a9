import Hummingbird
import NIOCore

/// Per-request state every part of the registry shares: the caller's address. Each channel's route
/// group turns it into its own context carrying its principal (`PatientRequestContext`, …).
public struct RegistryRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, for throttling (nil in router tests); behind a trusted proxy the
    /// address it forwarded (`ForwardedClientMiddleware`).
    public var remoteAddress: String?
    /// The event loop of the request's connection (a testing loop in router tests).
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
        eventLoop = source.channel.eventLoop
    }
}

/// A channel's context whose signed-in principal, if any, has its own form token (the CSRF check
/// compares posted forms with it).
public protocol FormTokenContext: RequestContext {
    /// The signed-in principal's form token; nil before anyone signs in.
    var sessionFormToken: String? { get }
}

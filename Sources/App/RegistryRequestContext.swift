import Hummingbird

/// Per-request state of the registry; sessions and identity join it as they arrive.
public struct RegistryRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}

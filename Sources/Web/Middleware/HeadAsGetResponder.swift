import Hummingbird

/// Answers HEAD for every GET route and page: the same status and headers, no body.
///
/// It wraps the router rather than sitting in it, because router middleware runs after a route has
/// been chosen by method — too late to let HEAD find the GET route.
public struct HeadAsGetResponderBuilder<Builder: HTTPResponderBuilder>: HTTPResponderBuilder where Builder.Responder.Context: RequestContext {
    public let router: Builder

    public init(router: Builder) {
        self.router = router
    }

    @inlinable
    public func buildResponder() -> HeadAsGetResponder<Builder.Responder> {
        HeadAsGetResponder(inner: router.buildResponder())
    }
}

/// The responder behind `HeadAsGetResponderBuilder`.
public struct HeadAsGetResponder<Inner: HTTPResponder>: HTTPResponder {
    public let inner: Inner

    @inlinable
    public init(inner: Inner) {
        self.inner = inner
    }

    /// Inlinable, so that the app's build specialises it for its router (it runs on every request).
    @inlinable
    public func respond(to request: Request, context: Inner.Context) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        // Declares the GET body's length, as HEAD should, and writes nothing.
        response.body = ResponseBody(contentLength: response.body.contentLength) { writer in try await writer.finish(nil) }
        return response
    }
}

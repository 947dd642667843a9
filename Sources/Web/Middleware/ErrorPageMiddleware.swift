import Hummingbird
import Persistence
import Logging
import Templating

/// How one channel shows its error pages: its template (its own layout), and which of its addresses
/// a "try again" link may lead to.
public struct ErrorPages: Sendable {
    public let template: String
    public let returnable: @Sendable (String) -> String?

    public init(template: String, returnable: @escaping @Sendable (String) -> String?) {
        self.template = template
        self.returnable = returnable
    }
}

/// Turns every error into a Russian page rendered through the templates — never a stack trace —
/// in the layout of the channel whose address failed.
public struct ErrorPageMiddleware: RouterMiddleware {
    /// Every registry middleware runs at the root, before a channel's group gives its own context:
    /// concrete, so that each request runs specialised code rather than generic code across modules.
    public typealias Context = RegistryRequestContext

    public let pages: PageRenderer
    /// Development shows the error's text on the page; production only a reference number.
    public let showsDetails: Bool
    /// The error pages of the channel an address belongs to (by its path).
    public let channel: @Sendable (String) -> ErrorPages

    /// `channel` gives, for a failed request's path, its channel's error template and its rule for
    /// which addresses may be offered again ("try again").
    public init(pages: PageRenderer, showsDetails: Bool, channel: @escaping @Sendable (String) -> ErrorPages) {
        self.pages = pages
        self.showsDetails = showsDetails
        self.channel = channel
    }
    /// Error pages are rendered outside the channel that failed, for nobody in particular.
    private static var anyone: PageViewer { PageViewer() }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StoreUnavailableError {
            // The registry's own database did not answer in time: the same as a clinic that is down.
            return page(.serviceUnavailable, for: error, request: request, context: context)
        } catch let error as HTTPResponseError {
            return page(error.status, for: error, request: request, context: context)
        } catch {
            return page(.internalServerError, for: error, request: request, context: context)
        }
    }

    private func page(_ status: HTTPResponse.Status, for error: any Error, request: Request, context: Context) -> Response {
        // An outage (a clinic, or the database) is to watch, not a fault of the registry's own.
        if status == .serviceUnavailable {
            context.logger.warning("request answered: service unavailable", metadata: ["http.path": .string(request.uri.path)])
        } else if status.code >= 500 {
            log(error, context: context)
        }
        // Down or slow for a while: the same address works again once it is back.
        let passing = [.serviceUnavailable, .requestTimeout].contains(status) && request.method == .get
        let channel = channel(request.uri.path)
        var response = pages.errorPage(ErrorPage(status: status, reference: context.id, details: showsDetails ? "\(error)" : nil, retryURL: passing ? channel.returnable(request.uri.string) : nil),
                                       for: Self.anyone, template: channel.template)
        if passing { response.headers[.retryAfter] = "30" }
        return response
    }

    /// Logs the error's type, and its text only in development (texts may quote personal data).
    private func log(_ error: any Error, context: Context) {
        var metadata: Logger.Metadata = ["error.type": .string(String(describing: type(of: error)))]
        if showsDetails { metadata["error.message"] = .string("\(error)") }
        context.logger.error("request failed", metadata: metadata)
    }
}

import Hummingbird
import MISBridge

/// Gives each request one deadline for all the MIS calls made for it (`MISDeadline`): a clinic that
/// does not answer, or answers a byte at a time, costs the patient at most `budget` before the page
/// says so.
public struct MISDeadlineMiddleware: RouterMiddleware {
    /// Every registry middleware runs at the root, before a channel's group gives its own context:
    /// concrete, so that each request runs specialised code rather than generic code across modules.
    public typealias Context = RegistryRequestContext

    public let budget: Duration

    public init(budget: Duration) {
        self.budget = budget
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await MISDeadline.$current.withValue(.now + budget) { try await next(request, context) }
    }
}

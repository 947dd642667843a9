import Hummingbird
import MISBridge

/// Gives each request one deadline for all the MIS calls made for it (`MISDeadline`): a clinic that
/// does not answer, or answers a byte at a time, costs the patient at most `budget` before the page
/// says so.
struct MISDeadlineMiddleware<Context: RequestContext>: RouterMiddleware {
    let budget: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await MISDeadline.$current.withValue(.now + budget) { try await next(request, context) }
    }
}

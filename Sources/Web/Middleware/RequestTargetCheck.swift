import Hummingbird
import MISBridge

/// Refuses (400) an address that cannot mean what it seems to: an escape that does not decode, or a
/// NUL or other control character, raw or escaped, anywhere in the path or the query. A NUL would
/// cut a name short further on (`/css/print.css%00.png` is not print.css). Runs before every route.
public struct RequestTargetCheck: RouterMiddleware {
    /// Every registry middleware runs at the root, before a channel's group gives its own context:
    /// concrete, so that each request runs specialised code rather than generic code across modules.
    public typealias Context = RegistryRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.isAcceptable(request.uri.path), Self.isAcceptable(request.uri.query ?? "") else {
            throw HTTPError(.badRequest)
        }
        return try await next(request, context)
    }

    /// Whether every escape in `target` is two hex digits and nothing decodes to a control character.
    public static func isAcceptable(_ target: String) -> Bool {
        var bytes = target.utf8.makeIterator()
        while let byte = bytes.next() {
            guard byte >= 0x20, byte != 0x7F else { return false }
            guard byte == UInt8(ascii: "%") else { continue }
            guard let high = bytes.next().flatMap(FormParameters.hexValue), let low = bytes.next().flatMap(FormParameters.hexValue) else { return false }
            let decoded = high << 4 | low
            guard decoded >= 0x20, decoded != 0x7F else { return false }
        }
        return true
    }

}

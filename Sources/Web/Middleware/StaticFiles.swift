import Foundation
import Hummingbird
import Logging

/// Serves Public/: cached for a day in production (with ETag revalidation), always revalidated in
/// development. Only addresses under Public's own top-level names reach the file system; pages
/// never wait for a file look-up. (`RequestTargetCheck` has refused broken addresses before.)
public struct StaticFiles: RouterMiddleware {
    /// Every registry middleware runs at the root, before a channel's group gives its own context:
    /// concrete, so that each request runs specialised code rather than generic code across modules.
    public typealias Context = RegistryRequestContext

    private let files: FileMiddleware<Context, LocalFileSystem>
    /// `/css/`, `/robots.txt`, … — one per entry of the directory.
    private let prefixes: [String]

    public init(directory: String, development: Bool, logger: Logger) {
        let caching: [CacheControl.Value] = development ? [.noCache] : [.public, .maxAge(86_400)]
        let types: [MediaType] = [
            MediaType(type: .text, subType: "css"), MediaType(type: .application, subType: "javascript"),
            MediaType(type: .text, subType: "javascript"), MediaType(type: .image, subType: "svg+xml"),
            MediaType(type: .image, subType: "png"), MediaType(type: .image, subType: "x-icon"),
            MediaType(type: .font, subType: "woff2"), MediaType(type: .text, subType: "plain"),
        ]
        files = FileMiddleware(directory, cacheControl: CacheControl(types.map { ($0, caching) }), logger: logger)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        prefixes = names.filter { !$0.hasPrefix(".") }.map { name in
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory)
            return "/" + name + (isDirectory.boolValue ? "/" : "")
        }
    }

    /// Whether `path` is under one of Public's names (a file this middleware may serve).
    public func serves(_ path: String) -> Bool {
        prefixes.contains { path == $0 || path.hasPrefix($0) }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard serves(request.uri.path) else { return try await next(request, context) }
        return try await files.handle(request, context: context, next: next)
    }
}

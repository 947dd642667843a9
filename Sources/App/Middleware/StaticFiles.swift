import Hummingbird
import Logging

/// Serves Public/: cached for a day in production (with ETag revalidation), always revalidated in development.
enum StaticFiles {
    static func middleware<Context: RequestContext>(directory: String, development: Bool, logger: Logger) -> FileMiddleware<Context, LocalFileSystem> {
        let caching: [CacheControl.Value] = development ? [.noCache] : [.public, .maxAge(86_400)]
        let types: [MediaType] = [
            MediaType(type: .text, subType: "css"), MediaType(type: .application, subType: "javascript"),
            MediaType(type: .text, subType: "javascript"), MediaType(type: .image, subType: "svg+xml"),
            MediaType(type: .image, subType: "png"), MediaType(type: .image, subType: "x-icon"),
            MediaType(type: .font, subType: "woff2"), MediaType(type: .text, subType: "plain"),
        ]
        return FileMiddleware(directory, cacheControl: CacheControl(types.map { ($0, caching) }), logger: logger)
    }
}

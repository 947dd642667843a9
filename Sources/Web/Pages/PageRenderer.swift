import Foundation
import Hummingbird
import Templating

/// Renders page templates into HTML responses; the one place that knows the site-wide context.
public struct PageRenderer: Sendable {
    public let templates: TemplateLibrary
    /// What every page shows about the service (`site` in templates), given by the wiring.
    public let site: any TemplateObject & Sendable

    /// Pages from `templatesDirectory`; `strict` makes a template's mistake an error, `reloadsOnChange` reads edited templates again (development).
    public init(templatesDirectory: String, strict: Bool, reloadsOnChange: Bool, site: any TemplateObject & Sendable) throws {
        templates = try TemplateLibrary(directory: templatesDirectory, options: TemplateOptions(strict: strict, reloadsOnChange: reloadsOnChange))
        self.site = site
    }

    /// An HTML response from `template` with `page` as its model. Public pages revalidate; pages with
    /// personal data pass `.personal` so that no cache keeps them.
    /// While a patient is signed in, every page names them, so no page is cached.
    public func render(_ template: String, for viewer: PageViewer, page: some TemplateObject, status: HTTPResponse.Status = .ok, caching: PageCaching = .revalidate) throws -> Response {
        Self.htmlResponse(try html(template, for: viewer, page: page), status: status, caching: viewer.session == nil ? caching : .personal)
    }

    /// The page's HTML alone, for a page that is kept and served again (`htmlResponse`).
    public func html(_ template: String, for viewer: PageViewer, page: some TemplateObject) throws -> ByteBuffer {
        ByteBuffer(bytes: try templates.render(template, PageContext(site: site, page: page, viewer: viewer)))
    }

    /// The error page; falls back to a fixed Russian page if even the template fails.
    public func errorPage(_ page: ErrorPage, for viewer: PageViewer, template: String = "pages/errors/error") -> Response {
        do {
            return try render(template, for: viewer, page: page, status: page.status, caching: .personal)
        } catch {
            // The templates themselves are broken (only possible in development, where they reload).
            let details = page.details.map { "<pre>\(HTMLEscaping.escape($0))</pre>" } ?? ""
            let html = "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Ошибка</title></head><body>"
                + "<h1>Что-то пошло не так</h1><p>Попробуйте открыть <a href=\"/\">главную страницу</a>.</p>\(details)</body></html>"
            return Self.htmlResponse(ByteBuffer(string: html), status: page.status, caching: .personal)
        }
    }

    public static func htmlResponse(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, caching: PageCaching) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: caching.headerValue],
            body: ResponseBody(byteBuffer: body)
        )
    }
}

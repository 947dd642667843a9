import Foundation
import Hummingbird
import Templating

/// What every page template sees at the top level: `site`, its own `page`, `session` while someone
/// is signed in, and `signIn`, the link that signs in and comes back to this page.
public struct PageContext: TemplateObject {
    public let site: any TemplateObject
    public let page: any TemplateObject
    public let viewer: PageViewer
    public let signIn: String?

    public init(site: any TemplateObject, page: any TemplateObject, viewer: PageViewer) {
        self.site = site
        self.page = page
        self.viewer = viewer
        signIn = viewer.signIn()
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "site": .object(site)
        case "page": .object(page)
        case "session": viewer.session.map { .object($0) } ?? .null
        case "signIn": .optional(signIn)
        default: nil
        }
    }
}

import Foundation
import Hummingbird
import Templating

/// Who a page is rendered for: the signed-in session, if any, and the page's own address (where a
/// "sign in" link returns to). Plain data, taken from the request's context.
public struct PageViewer: Sendable {
    /// The signed-in principal as the page header shows it (`session` in templates).
    public var session: (any TemplateObject & Sendable)?
    /// The link that signs in and comes back to this page (`signIn` in templates), worked out only
    /// when a page is rendered (a kept page, served again, never asks).
    public var signIn: @Sendable () -> String? = { nil }

    public init(session: (any TemplateObject & Sendable)? = nil, signIn: @escaping @Sendable () -> String? = { nil }) {
        self.session = session
        self.signIn = signIn
    }
}

import Templating

/// A page model whose forms carry the CSRF token, set once the response knows it.
public protocol TokenCarryingPage: TemplateObject {
    func with(csrfToken: String) -> Self
}

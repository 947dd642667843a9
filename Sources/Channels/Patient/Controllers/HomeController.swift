import Hummingbird
import Web
import Templating

/// The home page: what the service is and how booking works.
struct HomeController {
    let pages: PageRenderer

    func addRoutes(to router: RouterGroup<PatientRequestContext>) {
        router.get(SiteRoute.home.pattern) { _, context in
            try pages.render("pages/patient/home", for: context.viewer, page: HomePage())
        }
    }
}

/// Every address of the site in one place, so that routes and links cannot drift apart.
enum SiteRoute {
    case home
    case health

    var path: String {
        switch self {
        case .home: "/"
        case .health: "/health"
        }
    }
}

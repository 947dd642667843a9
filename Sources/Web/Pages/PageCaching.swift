import Foundation
import Hummingbird
import Templating

/// How long a browser or proxy may keep a page.
public enum PageCaching {
    /// Public information: kept, but checked with the server before reuse.
    case revalidate
    /// Personal data or one-off pages: never stored.
    case personal

    public var headerValue: String {
        switch self {
        case .revalidate: "no-cache"
        case .personal: "no-store"
        }
    }
}

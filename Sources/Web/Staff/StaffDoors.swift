import Foundation
import Hummingbird
import Persistence

/// What every staff page needs to know of the staff channels as a whole — where to sign in and out
/// and change one's password, each account's start page and menu, which pages a sign-in may return
/// to — worked out by the wiring, which knows every staff channel's routes. One sign-in, one
/// session cookie sent to each staff channel's prefix.
public struct StaffDoors: Sendable {
    /// The sign-in form, returning to `next` afterwards.
    public let signIn: @Sendable (_ next: String?) -> String
    public let signOut: String
    public let password: String
    /// Where an account starts after signing in, and its header's first link.
    public let home: @Sendable (StaffAccount) -> String
    /// The links an account's header shows after its start page, in order.
    public let menu: @Sendable (StaffAccount) -> [StaffMenuItem]
    /// The page, if a sign-in may return to it (a staff page of a staff channel, not a start page).
    public let returnPath: @Sendable (String?) -> String?
    /// Where the staff channels are mounted: the session cookie goes to each.
    public let prefixes: [String]
    public let secureCookies: Bool

    public init(signIn: @escaping @Sendable (String?) -> String, signOut: String, password: String, home: @escaping @Sendable (StaffAccount) -> String,
                menu: @escaping @Sendable (StaffAccount) -> [StaffMenuItem], returnPath: @escaping @Sendable (String?) -> String?, prefixes: [String], secureCookies: Bool) {
        self.signIn = signIn
        self.signOut = signOut
        self.password = password
        self.home = home
        self.menu = menu
        self.returnPath = returnPath
        self.prefixes = prefixes
        self.secureCookies = secureCookies
    }

    /// The name of the staff session cookie (a patient's session cookie means nothing to staff pages).
    public static let cookieName = "staff"

    /// The session cookie of each staff channel: sent only to its pages, never from another site.
    public var sessionCookies: [SessionCookie] {
        prefixes.map { SessionCookie(name: Self.cookieName, path: $0, sameSite: .strict, secure: secureCookies) }
    }
}

extension Response {
    /// Gives the browser the staff session `id` for every staff channel.
    public mutating func setStaffSession(_ id: String, _ doors: StaffDoors) {
        for cookie in doors.sessionCookies { setCookie(cookie.holding(id)) }
    }

    /// Makes the browser forget its staff session in every staff channel.
    public mutating func forgetStaffSession(_ doors: StaffDoors) {
        for cookie in doors.sessionCookies { setCookie(cookie.expired) }
    }
}

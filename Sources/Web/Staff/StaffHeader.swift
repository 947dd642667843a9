import Foundation
import Persistence
import Templating

/// The signed-in staff member as every staff page's header shows them (`session` in templates):
/// name, role, the minutes left before the session lapses, and the links their account may use.
public struct StaffHeader: TemplateObject {
    let name: String
    let role: String
    let csrfToken: String
    let minutesLeft: Int
    let homeURL: String
    let passwordURL: String
    let signOutURL: String
    let menu: [StaffMenuItem]

    public init(session: StaffSessionRecord, doors: StaffDoors, idleTimeout: TimeInterval, now: Date) {
        let account = session.account
        name = account.name
        role = account.role.title
        csrfToken = session.csrfToken
        let secondsLeft = max(0, session.lastSeen.addingTimeInterval(idleTimeout).timeIntervalSince(now))
        minutesLeft = Int((secondsLeft / 60).rounded(.up))
        homeURL = doors.home(account)
        passwordURL = doors.password
        signOutURL = doors.signOut
        menu = doors.menu(account)
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(name)
        case "role": .string(role)
        case "csrf": .string(csrfToken)
        case "minutesLeft": .int(minutesLeft)
        case "homeURL": .string(homeURL)
        case "passwordURL": .string(passwordURL)
        case "signOutURL": .string(signOutURL)
        case "menu": .list(menu.map { .object($0) })
        default: nil
        }
    }
}

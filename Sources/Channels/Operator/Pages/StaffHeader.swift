import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The signed-in staff member as the workstation's header shows them (`session` in templates),
/// with the links their role may use.
struct StaffHeader: TemplateObject {
    let name: String
    let role: String
    let csrfToken: String
    let minutesLeft: Int
    let homeURL = OperatorRoute.home.path
    let passwordURL = OperatorRoute.password.path
    let signOutURL = OperatorRoute.signOut.path
    let accountsURL: String?
    let kiosksURL: String?
    let auditURL: String?

    init(session: StaffSessionRecord, idleTimeout: TimeInterval, now: Date) {
        let role = session.account.role
        name = session.account.name
        self.role = role.title
        csrfToken = session.csrfToken
        let secondsLeft = max(0, session.lastSeen.addingTimeInterval(idleTimeout).timeIntervalSince(now))
        minutesLeft = Int((secondsLeft / 60).rounded(.up))
        accountsURL = role >= .administrator ? OperatorRoute.accounts.path : nil
        kiosksURL = role >= .administrator ? OperatorRoute.kiosks.path : nil
        auditURL = role >= .supervisor ? OperatorRoute.audit.path : nil
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(name)
        case "role": .string(role)
        case "csrf": .string(csrfToken)
        case "minutesLeft": .int(minutesLeft)
        case "homeURL": .string(homeURL)
        case "passwordURL": .string(passwordURL)
        case "signOutURL": .string(signOutURL)
        case "accountsURL": .optional(accountsURL)
        case "kiosksURL": .optional(kiosksURL)
        case "auditURL": .optional(auditURL)
        default: nil
        }
    }
}

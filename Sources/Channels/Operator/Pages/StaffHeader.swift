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
    let role: StaffRole
    let csrfToken: String
    let secondsLeft: TimeInterval

    init(session: StaffSessionRecord, idleTimeout: TimeInterval, now: Date) {
        name = session.account.name
        role = session.account.role
        csrfToken = session.csrfToken
        secondsLeft = max(0, session.lastSeen.addingTimeInterval(idleTimeout).timeIntervalSince(now))
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(name)
        case "role": .string(role.title)
        case "csrf": .string(csrfToken)
        case "minutesLeft": .int(Int((secondsLeft / 60).rounded(.up)))
        case "homeURL": .string(OperatorRoute.home.path)
        case "passwordURL": .string(OperatorRoute.password.path)
        case "signOutURL": .string(OperatorRoute.signOut.path)
        case "accountsURL": role >= .administrator ? .string(OperatorRoute.accounts.path) : .null
        case "kiosksURL": role >= .administrator ? .string(OperatorRoute.kiosks.path) : .null
        case "auditURL": role >= .supervisor ? .string(OperatorRoute.audit.path) : .null
        default: nil
        }
    }
}

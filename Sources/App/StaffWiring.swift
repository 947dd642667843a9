import OperatorChannel
import Persistence
import StaffChannel
import Web

/// How the staff channels fit together: one sign-in on the staff pages, each role's start page and
/// header links across the call centre's workstation and the staff pages.
enum StaffWiring {
    static func doors(secureCookies: Bool) -> StaffDoors {
        StaffDoors(
            signIn: { StaffRoute.signIn(next: $0).path },
            signOut: StaffRoute.signOut.path,
            password: StaffRoute.password.path,
            home: home,
            menu: menu,
            returnPath: returnPath,
            prefixes: [OperatorRoute.prefix, StaffRoute.prefix],
            secureCookies: secureCookies
        )
    }

    /// Operators and supervisors start at the workstation; administrators and the clinics' staff on the staff pages.
    static func home(_ account: StaffAccount) -> String {
        [.operator, .supervisor].contains(account.role) ? OperatorRoute.home.path : StaffRoute.home.path
    }

    /// The header's links after the start page, by what the role may do.
    static func menu(_ account: StaffAccount) -> [StaffMenuItem] {
        let role = account.role
        var items: [StaffMenuItem] = []
        if role.may(.serveCallers) && home(account) != OperatorRoute.home.path { items.append(StaffMenuItem(title: "Звонки", url: OperatorRoute.home.path)) }
        if role.may(.readStatistics) { items.append(StaffMenuItem(title: "Статистика", url: StaffRoute.statistics().path)) }
        if role.may(.readAudit) { items.append(StaffMenuItem(title: "Журнал", url: StaffRoute.audit.path)) }
        if role.may(.administer) {
            items.append(StaffMenuItem(title: "Учётные записи", url: StaffRoute.accounts.path))
            items.append(StaffMenuItem(title: "Информаты", url: StaffRoute.kiosks.path))
        }
        return items
    }

    /// A page of either staff channel a sign-in may return to; a start page is where signing in leads anyway.
    static func returnPath(_ path: String?) -> String? {
        let page = OperatorRoute.localPath(path) ?? StaffRoute.localPath(path)
        return page == OperatorRoute.home.path || page == StaffRoute.home.path ? nil : page
    }
}

import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The staff start page: the sections the account may open and, for a clinic role, its clinics.
struct StaffHomeController {
    let pages: PageRenderer
    let region: Region
    let doors: StaffDoors

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(StaffRoute.home.pattern) { _, context in
            let account = context.staff.account
            // A clinic the MIS does not answer for is still listed, by its code.
            let known = (try? await misForPage { () throws(MISFailure) in try await region.clinics() }.map(\.clinic)) ?? []
            let page = StaffHomePage(account: account, sections: doors.menu(account), clinics: known)
            return try pages.render("pages/staff/home", for: context.viewer, page: page, caching: .personal)
        }
    }
}

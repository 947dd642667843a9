import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The administrator's kiosks page: the region's kiosks, registering one for a clinic (its start
/// address, with the device token, is shown once), revoking one.
struct KiosksController {
    let pages: PageRenderer
    let kiosks: KioskDevices
    let region: Region
    let csrf: CSRF
    /// The registry is served over TLS: start addresses begin with https.
    let secureCookies: Bool
    /// The kiosk channel's start address for a device token.
    let kioskStartPath: @Sendable (String) -> String
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(StaffRoute.kiosks.pattern) { _, context in try await list(context) }
        group.post(StaffRoute.kiosks.pattern) { request, context in try await register(request, context) }
        group.post(StaffRoute.kioskRevoke(.parameter("kiosk")).pattern) { request, context -> Response in
            _ = try await csrf.form(request, context: context, limit: 4_096)
            let staff = context.staff
            let id = try context.parameters.require("kiosk")
            guard case .success = try await kiosks.revoke(id, by: staff.account, address: context.remoteAddress, now: now()) else { throw HTTPError(.notFound) }
            return Response.redirect(to: StaffRoute.kiosks.path)
        }
    }

    private func list(_ context: StaffContext, entered: KiosksPage.Entered = KiosksPage.Entered(), errors: [FormError] = [],
                      registered: (name: String, address: String)? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let clinics = try await misForPage { () throws(MISFailure) in try await region.clinics() }.map(\.clinic).sorted { $0.shortName < $1.shortName }
        let page = KiosksPage(entered: entered, errors: errors, registered: registered, clinics: clinics, kiosks: try await kiosks.all(), csrfToken: context.staff.csrfToken)
        return try pages.render("pages/staff/kiosks", for: context.viewer, page: page, status: status, caching: .personal)
    }

    private func register(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let staff = context.staff
        let clinics = try await misForPage { () throws(MISFailure) in try await region.clinics() }.map(\.clinic.id)
        let entered = KiosksPage.Entered(name: String((form["name"] ?? "").prefix(100)), clinicID: form["clinic"] ?? "", network: String((form["network"] ?? "").prefix(64)))
        switch try await kiosks.register(name: entered.name, clinicID: entered.clinicID, clinics: Set(clinics), network: entered.network, by: staff.account, address: context.remoteAddress, now: now()) {
        case .success(let registered):
            return try await list(context, registered: (registered.kiosk.name, startAddress(registered.token, request)))
        case .failure(let problem):
            let error: FormError = switch problem {
            case .emptyName: FormError(field: "name", message: "Укажите, где стоит информат: например, «Холл, 1 этаж».")
            case .badNetwork: FormError(field: "network", message: "Укажите адрес информата (10.20.0.15) или сеть холла (10.20.0.0/24) — или оставьте поле пустым.")
            default: FormError(field: "clinic", message: "Выберите поликлинику из списка.")
            }
            return try await list(context, entered: entered, errors: [error], status: .unprocessableContent)
        }
    }

    /// The start address as the kiosk's browser opens it: this registry's own host, when the request named a plain one.
    private func startAddress(_ token: String, _ request: Request) -> String {
        let path = kioskStartPath(token)
        guard let host = request.head.authority, !host.isEmpty, host.utf8.count < 256,
            host.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") })
        else { return path }
        return (secureCookies ? "https://" : "http://") + host + path
    }
}

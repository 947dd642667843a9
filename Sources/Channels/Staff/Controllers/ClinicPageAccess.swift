import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The first step of every page of one clinic (`/staff/clinics/{clinic}/…`): the clinic must be one
/// of the account's (else the refusal page, 403 and audited) and one the region knows (else 404);
/// then the clinic, its time zone and its today.
struct ClinicPageAccess: Sendable {
    let region: Region
    let refusal: StaffRefusal

    /// The clinic a page is opened for.
    struct Opened {
        let clinic: MISClinic
        let zone: TimeZone
        /// `YYYY-MM-DD`, the clinic's today.
        let today: String
    }

    /// The clinic of the route's `clinic` parameter, or the answer to give instead.
    func open(_ request: Request, _ context: StaffContext, now: Date) async throws -> Result<Opened, Refused> {
        let clinicID = try context.parameters.require("clinic")
        let account = context.staff.account
        guard account.covers(clinic: clinicID) else {
            return .failure(Refused(response: try await refusal.page(for: account, context: context, asked: request.uri.path, clinic: clinicID, now: now)))
        }
        guard let clinic = try await misForPage({ () throws(MISFailure) in try await region.clinic(clinicID) })?.clinic else { throw HTTPError(.notFound) }
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        return .success(Opened(clinic: clinic, zone: zone, today: ProtocolTime.day(now, in: zone)))
    }

    /// The refusal page to answer with.
    struct Refused: Error {
        let response: Response
    }
}

import Foundation
import Logging
import MISBridge

/// The region as the registry sees it through the MIS gateways: districts and clinics gathered from
/// every endpoint, and the client to ask about each clinic.
public struct Region: Sendable {
    /// One client per gateway of the region: the one map of which gateway serves which clinic
    /// (each gateway's clinics under its `clinicPrefix`, so that two vendors' «101» stay apart).
    public let clients: [MISClient]
    private let logger: Logger

    public init(settings: [MISEndpoint], transport: any MISTransport, logger: Logger) {
        clients = settings.map { MISClient(endpoint: $0, transport: transport, logger: logger) }
        self.logger = logger
    }

    /// Districts of all gateways, merged by id; a gateway that is down is left out unless all are.
    public func districts() async throws(MISFailure) -> [MISDistrict] {
        var merged: [String: MISDistrict] = [:]
        for list in try await gather({ client throws(MISFailure) in try await client.districts() }) {
            for district in list { merged[district.id] = district }
        }
        return merged.values.sorted { $0.name < $1.name }
    }

    /// Clinics of all gateways, each with the client that serves it. Should two gateways still list
    /// the same id (a prefix left out of the configuration), the first gateway keeps it and the
    /// clash is logged: a clinic is never served by the wrong gateway.
    public func clinics(district: String? = nil) async throws(MISFailure) -> [(clinic: MISClinic, client: MISClient)] {
        var result: [(MISClinic, MISClient)] = []
        var seen: [String: String] = [:]
        for client in clients {
            do {
                for clinic in try await client.clinics() where district == nil || clinic.districtID == district {
                    if let first = seen[clinic.id] {
                        logger.error("two gateways list one clinic id; give one a clinic prefix", metadata: ["mis.clinic": .string(clinic.id), "mis.endpoint": .string(client.endpoint.id), "mis.first": .string(first)])
                        continue
                    }
                    seen[clinic.id] = client.endpoint.id
                    result.append((clinic, client))
                }
            } catch where clients.count > 1 && error.isOutage {
                continue
            }
        }
        return result.sorted { $0.0.shortName < $1.0.shortName }
    }

    /// A clinic and its client; nil when no gateway lists it.
    public func clinic(_ id: String) async throws(MISFailure) -> (clinic: MISClinic, client: MISClient)? {
        try await clinics().first { $0.clinic.id == id }
    }

    /// A doctor of the clinic and their specialty; nil when no specialty lists the doctor.
    /// (Specialties and doctor lists are cached by the client, so this costs little after the first time.)
    public func doctor(_ doctorID: String, clinic: String, client: MISClient) async throws(MISFailure) -> (doctor: MISDoctor, specialty: MISSpecialty)? {
        for specialty in try await client.specialties(clinic: clinic) {
            if let doctor = try await client.doctors(clinic: clinic, specialty: specialty.id).first(where: { $0.id == doctorID }) {
                return (doctor, specialty)
            }
        }
        return nil
    }

    private func gather<T: Sendable>(_ body: @escaping @Sendable (MISClient) async throws(MISFailure) -> T) async throws(MISFailure) -> [T] {
        var results: [T] = []
        var lastFailure: MISFailure?
        for client in clients {
            do {
                results.append(try await body(client))
            } catch {
                lastFailure = error
            }
        }
        if results.isEmpty, let lastFailure { throw lastFailure }
        return results
    }
}

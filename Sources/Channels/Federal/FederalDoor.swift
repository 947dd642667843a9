import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MISBridge
import Persistence
import RegistryCore
import Web

/// The registry's door for the federal portal (ЕПГУ/ФЭР): the MIS protocol (version 1) at its own
/// address over every clinic of every gateway of the region, with the portal's own keys, nonces
/// every node shares, and an address allow-list. It publishes what the federal rules allow and
/// takes the portal's bookings as reservations the clinics confirm (docs/mis-protocol.md, "The
/// federal portal's door").
package struct FederalDoor {
    /// What the registry's configuration tells the door.
    package struct Settings: Sendable {
        /// The portal's key ids and secrets; no key, no door.
        let keys: [String: String]
        /// The addresses the portal calls from (nil: any — the keys still decide).
        let networks: IPNetworks?

        package init(keys: [String: String], networks: IPNetworks?) {
            self.keys = keys
            self.networks = networks
        }
    }

    package static let path = "/federal/serverais"
    /// A request larger than this is refused (the protocol's limit).
    static let maximumBodyBytes = 64 * 1_024

    let settings: Settings
    let core: RegistryCoreServices
    let now: @Sendable () -> Date

    package init(settings: Settings, core: RegistryCoreServices, now: @escaping @Sendable () -> Date) {
        self.settings = settings
        self.core = core
        self.now = now
    }

    package func mount(on router: Router<RegistryRequestContext>) {
        guard !settings.keys.isEmpty else { return }
        let database = core.database
        let networks = settings.networks
        let endpoint = ProtocolEndpoint(
            keys: settings.keys, isAllowed: { address in networks.map { $0.contains(address) } ?? true },
            firstUse: { keyID, nonce, now in (try? await database.rememberNonce(keyID: keyID, nonce: nonce, now: now, window: 300)) ?? false }, clock: now
        )
        let operations = FederalOperations(core: core, now: now)
        router.get(RouterPath(Self.path)) { request, context in await answer(request, context, endpoint, operations) }
        router.post(RouterPath(Self.path)) { request, context in await answer(request, context, endpoint, operations) }
    }

    private func answer(_ request: Request, _ context: RegistryRequestContext, _ endpoint: ProtocolEndpoint, _ operations: FederalOperations) async -> Response {
        let parameters: Result<MISRequestParameters, MISFailure>
        if request.method == .post {
            if let body = try? await request.body.collect(upTo: Self.maximumBodyBytes) {
                parameters = Result { () throws(MISFailure) in try MISRequestParameters(decoding: body.readableBytesView) }
            } else {
                parameters = .failure(MISFailure(.badRequest, message: "Запрос слишком большой"))
            }
        } else {
            parameters = Result { () throws(MISFailure) in try MISRequestParameters(decoding: (request.uri.query ?? "").utf8) }
        }
        let (status, text) = await endpoint.answer(method: request.method.rawValue, path: request.uri.path, parameters: parameters, remoteAddress: context.remoteAddress,
                                                   header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } }, logger: context.logger,
                                                   perform: { operation, parameters in try await operations.perform(operation, parameters) })
        return Response(status: .init(code: status), headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

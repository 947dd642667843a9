import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MISBridge
import Persistence
@testable import App

/// The repository's root, found from this file's location.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A configuration with the real Templates/ and Public/, strict templates and a throwaway data directory.
func testConfiguration(development: Bool = false) -> AppConfiguration {
    AppConfiguration(
        host: "127.0.0.1",
        port: 0,
        dataDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("registratura-\(UUID().uuidString)").path,
        templatesDirectory: repositoryRoot.appendingPathComponent("Templates").path,
        publicDirectory: repositoryRoot.appendingPathComponent("Public").path,
        development: development,
        strictTemplates: true
    )
}

let testLogger = Logger(label: "tests")

/// One HTTP client for every test that reaches a MIS.
let testTransport = HTTPClientTransport(connectTimeout: .seconds(5))

/// Runs `body` against the registry's router with extra routes added by `configure`.
func withRegistry(
    development: Bool = false,
    mis: [MISEndpoint] = [MISEndpoint(id: "nowhere", url: "http://127.0.0.1:9/serverais", keyID: "k", secret: "s")],
    configure: (Router<RegistryRequestContext>) -> Void = { _ in },
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    var configuration = testConfiguration(development: development)
    configuration.misEndpoints = mis
    let pages = try PageRenderer(configuration: configuration)
    let region = Region(settings: configuration.misEndpoints, transport: testTransport, logger: testLogger)
    let router = try buildRouter(configuration, pages: pages, region: region, database: try AppDatabase.inMemory(), logger: testLogger)
    configure(router)
    let app = Application(router: HeadAsGetResponderBuilder(router: router), logger: testLogger)
    try await app.test(.router, body)
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

import App
import ArgumentParser
import Foundation
import MISBridge
import Logging
import ReferenceMIS

/// `registratura demo`: the whole system on its embedded defaults — the reference MIS with a demo
/// region and the registry — in one process, until Ctrl+C.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the reference MIS (demo region) and the registry together.")

    @Option(help: "Port of the registry.") var port = 8080
    @Option(help: "Port of the reference MIS gateway.") var misPort = 8081
    @Option(name: .customLong("data-dir"), help: "Directory for both databases.") var dataDirectory = "data"
    @Option(help: "Directory of the page templates.") var templates: String?
    @Option(name: .customLong("public"), help: "Directory of static files.") var publicDirectory: String?

    func run() async throws {
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        let logger = Logger(label: "registratura")
        let environment = ProcessInfo.processInfo.environment
        var registry = try AppConfiguration(environment: environment)
        registry.port = port
        registry.dataDirectory = dataDirectory
        if environment["REGISTRATURA_MIS"] == nil {
            registry.misEndpoints = [MISEndpoint(id: "reference", url: "http://127.0.0.1:\(misPort)/serverais", keyID: "registry", secret: "demo-secret")]
        }
        if let templates { registry.templatesDirectory = templates }
        if let publicDirectory { registry.publicDirectory = publicDirectory }
        var mis = GatewayServer.Settings()
        mis.port = misPort
        mis.databasePath = dataDirectory + "/reference-mis.sqlite"
        let shown = registry
        let misSettings = mis
        // The registry opens once the gateway listens (after filling the demo region): before that,
        // every page would only say that the clinics do not answer.
        let (gatewayListens, listening) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await GatewayServer.run(misSettings, logger: logger) { port in
                    FileHandle.standardOutput.write(Data("Reference MIS gateway at http://127.0.0.1:\(port)/serverais (key registry:demo-secret)\n".utf8))
                    listening.finish()
                }
            }
            group.addTask {
                for await _ in gatewayListens {}
                try Task.checkCancellation()
                try await runRegistry(shown, logger: logger) { port in
                    var url = shown
                    url.port = port
                    FileHandle.standardOutput.write(Data("Registratura is running at \(url.url) — open it in a browser; Ctrl+C stops it.\n".utf8))
                }
            }
            // When either server stops, stop the other.
            try await group.next()
            group.cancelAll()
        }
    }
}

import App
import ArgumentParser
import Foundation
import Logging
import Templating

/// The `registratura` command: runs the registry (and, as parts arrive, the reference MIS and tools).
@main
struct Registratura: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registratura",
        abstract: "Online registry for clinics: patients book, move and cancel doctor's appointments in a browser.",
        version: RegistryVersion.current,
        subcommands: [Serve.self, Demo.self, MISCommand.self, AccountsCommand.self, KiosksCommand.self, AuditCommand.self],
        defaultSubcommand: Serve.self
    )
}

/// `registratura serve`: the registry's web server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the registry's web server.",
        discussion: """
            Every option can also be set by an environment variable: REGISTRATURA_HOST, REGISTRATURA_PORT, \
            REGISTRATURA_DATA_DIR, REGISTRATURA_TEMPLATES, REGISTRATURA_PUBLIC, REGISTRATURA_DEVELOPMENT=1, LOG_LEVEL. \
            Options win over variables; variables win over the defaults.
            """
    )

    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on; 0 picks a free one (default 8080).") var port: Int?
    @Option(name: .customLong("data-dir"), help: "Directory for the registry's own data (default ./data).") var dataDirectory: String?
    @Option(help: "Directory of the page templates (default ./Templates).") var templates: String?
    @Option(name: .customLong("public"), help: "Directory of static files (default ./Public).") var publicDirectory: String?
    @Flag(help: "Development mode: templates reload on change, unknown template variables fail loudly.") var development = false
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (default info).") var logLevel: String?

    func run() async throws {
        let configuration = try resolvedConfiguration(environment: ProcessInfo.processInfo.environment)
        let logger = makeLogger(level: configuration.logLevel)
        do {
            try await runRegistry(configuration, logger: logger) { port in
                var shown = configuration
                shown.port = port
                let line = "Registratura is running at \(shown.url) — open it in a browser; Ctrl+C stops it.\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        } catch let error as TemplateError {
            FileHandle.standardError.write(Data("A template does not compile, so the registry does not start:\n  \(error)\n".utf8))
            throw ExitCode.failure
        }
        logger.info("registry stopped")
    }

    private func resolvedConfiguration(environment: [String: String]) throws -> AppConfiguration {
        var configuration: AppConfiguration
        do {
            configuration = try AppConfiguration(environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
        if let host { configuration.host = host }
        if let port {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            configuration.port = port
        }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        if let templates { configuration.templatesDirectory = templates }
        if let publicDirectory { configuration.publicDirectory = publicDirectory }
        if development { configuration.development = true }
        if let logLevel { configuration.logLevel = logLevel }
        return configuration
    }

    private func makeLogger(level: String) -> Logger {
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        var logger = Logger(label: "registratura")
        logger.logLevel = Logger.Level(rawValue: level) ?? .info
        return logger
    }
}

import Foundation
import Templating
import Testing
@testable import App

@Suite("Start-up")
struct StartupTests {
    @Test func configurationReadsTheEnvironment() throws {
        let configuration = try AppConfiguration(environment: [
            "REGISTRATURA_PORT": "9090", "REGISTRATURA_HOST": "0.0.0.0", "REGISTRATURA_DEVELOPMENT": "1", "REGISTRATURA_DATA_DIR": "/tmp/r",
        ])
        #expect(configuration.port == 9090)
        #expect(configuration.development)
        #expect(configuration.dataDirectory == "/tmp/r")
        #expect(configuration.url == "http://localhost:9090/")
        #expect(try AppConfiguration(environment: [:]) == AppConfiguration())
    }

    @Test func badEnvironmentValuesAreExplained() {
        #expect(throws: ConfigurationError("REGISTRATURA_PORT must be a port number from 0 to 65535, not 'eighty'")) {
            try AppConfiguration(environment: ["REGISTRATURA_PORT": "eighty"])
        }
        #expect(throws: ConfigurationError("REGISTRATURA_DEVELOPMENT must be 1 or 0, not 'maybe'")) {
            try AppConfiguration(environment: ["REGISTRATURA_DEVELOPMENT": "maybe"])
        }
    }

    @Test func aBrokenTemplateStopsStartUpNamingFileLineAndColumn() throws {
        let templates = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: templates.appendingPathComponent("pages"), withIntermediateDirectories: true)
        try "<h1>\n  {% for x in %}</h1>".write(to: templates.appendingPathComponent("pages/home.html"), atomically: true, encoding: .utf8)
        var configuration = testConfiguration()
        configuration.templatesDirectory = templates.path
        #expect(throws: TemplateError(template: "pages/home", line: 2, column: 15, message: "expected a value before the tag ends")) {
            _ = try buildApplication(configuration, logger: testLogger)
        }
    }

    @Test func everyShippedTemplateCompiles() throws {
        let pages = try PageRenderer(configuration: testConfiguration())
        #expect(pages.templates.templateNames.contains("layouts/site"))
        #expect(pages.templates.templateNames.contains("pages/patient/home"))
        #expect(pages.templates.templateNames.contains("pages/errors/error"))
    }
}

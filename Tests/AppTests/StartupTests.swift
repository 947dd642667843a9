import Booking
import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import Templating
import RegistryCore
import Testing
@testable import App
@testable import PatientChannel
@testable import Web
import ServerLimits

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

    @Test func severalGatewaysNameTheirClinicsApart() throws {
        let two = try AppConfiguration(environment: ["REGISTRATURA_MIS": "a|http://a/serverais|k|s; b|http://b/serverais|k|s|vendor-b"]).misEndpoints
        #expect(two.map(\.clinicPrefix) == ["", "vendor-b."])
        // Two gateways without prefixes, or with the same one, could give two clinics one id: refused.
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["REGISTRATURA_MIS": "a|http://a/serverais|k|s;b|http://b/serverais|k|s"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["REGISTRATURA_MIS": "a|http://a/serverais|k|s|x;b|http://b/serverais|k|s|x"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["REGISTRATURA_MIS": "a|http://a/serverais|k|s|x.y"]) }
    }

    @Test func theFederalPortalsDoorOpensOnlyWithKeysTheOperatorGives() throws {
        // The demo region: the demo's key, this machine only
        let demo = AppConfiguration()
        #expect(demo.federalKeys == ["federal-demo": "federal-demo-secret"] && demo.federalNetworks?.contains("127.0.0.1") == true && demo.federalNetworks?.contains("10.1.1.1") == false)
        // A real region: no door until keys are given
        let region = "a|http://a/serverais|k|s"
        #expect(try AppConfiguration(environment: ["REGISTRATURA_MIS": region]).federalKeys.isEmpty)
        let open = try AppConfiguration(environment: ["REGISTRATURA_MIS": region, "REGISTRATURA_FEDERAL_KEYS": "epgu:0123456789abcdef, epgu-new:fedcba9876543210xyz",
                                                      "REGISTRATURA_FEDERAL_NETWORKS": "10.20.0.0/16"])
        #expect(open.federalKeys == ["epgu": "0123456789abcdef", "epgu-new": "fedcba9876543210xyz"])
        #expect(open.federalNetworks?.contains("10.20.3.4") == true && open.federalNetworks?.contains("10.21.0.1") == false)
        for keys in ["epgu:short", "epgu", "ep gu:0123456789abcdef", "epgu:0123456789abcdef,epgu:0123456789abcdef"] {
            #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["REGISTRATURA_MIS": region, "REGISTRATURA_FEDERAL_KEYS": keys]) }
        }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["REGISTRATURA_FEDERAL_NETWORKS": "the portal"]) }
    }

    @Test func bookingRulesAndConnectionLimitsAreSettings() throws {
        let configuration = try AppConfiguration(environment: [
            "REGISTRATURA_LEAD_TIME_HOURS": "1.5", "REGISTRATURA_HORIZON_DAYS": "21",
            "REGISTRATURA_CONNECTIONS_PER_ADDRESS": "0", "REGISTRATURA_REQUEST_HEAD_TIMEOUT_SECONDS": "5",
        ])
        #expect(configuration.bookingRules.leadTime == 5_400 && configuration.bookingRules.horizonDays == 21)
        #expect(configuration.connectionLimits.connectionsPerAddress == 0)
        #expect(configuration.connectionLimits.requestHeadTimeout == .seconds(5) && configuration.connectionLimits.requestBodyTimeout == .seconds(10))
        #expect(AppConfiguration().bookingRules == BookingRules())
        #expect(throws: ConfigurationError("REGISTRATURA_HORIZON_DAYS must be a number of days from 1 to 60, not '0'")) {
            try AppConfiguration(environment: ["REGISTRATURA_HORIZON_DAYS": "0"])
        }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["REGISTRATURA_LEAD_TIME_HOURS": "soon"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["REGISTRATURA_REQUEST_HEAD_TIMEOUT_SECONDS": "0"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["REGISTRATURA_CONNECTIONS_PER_ADDRESS": "-1"]) }
    }

    @Test func badEnvironmentValuesAreExplained() {
        #expect(throws: ConfigurationError("REGISTRATURA_PORT must be a port number from 0 to 65535, not 'eighty'")) {
            try AppConfiguration(environment: ["REGISTRATURA_PORT": "eighty"])
        }
        #expect(throws: ConfigurationError("REGISTRATURA_DEVELOPMENT must be 1 or 0, not 'maybe'")) {
            try AppConfiguration(environment: ["REGISTRATURA_DEVELOPMENT": "maybe"])
        }
    }

    @Test func aBrokenTemplateStopsStartUpNamingFileLineAndColumn() async throws {
        let templates = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: templates.appendingPathComponent("pages"), withIntermediateDirectories: true)
        try "<h1>\n  {% for x in %}</h1>".write(to: templates.appendingPathComponent("pages/home.html"), atomically: true, encoding: .utf8)
        var configuration = testConfiguration()
        configuration.templatesDirectory = templates.path
        await #expect(throws: TemplateError(template: "pages/home", line: 2, column: 15, message: "expected a value before the tag ends")) {
            _ = try await buildApplication(configuration, logger: testLogger)
        }
    }

    @Test func templatesTypeNoAddressOfTheSiteItself() throws {
        // Links come from typed routes (`SiteRoute` through the models, `site.links` and `site.assets`).
        let templates = repositoryRoot.appendingPathComponent("Templates")
        let files = FileManager.default.enumerator(atPath: templates.path)?.allObjects as? [String] ?? []
        var literal: [String] = []
        for file in files where file.hasSuffix(".html") {
            let text = try String(contentsOf: templates.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: #/(href|action|src)="(/[^"]*)"/#) {
                literal.append("\(file): \(match.output.2)")
            }
        }
        #expect(literal.isEmpty, "\(literal)")
        #expect(files.count > 20)
    }

    @Test func everyShippedTemplateCompiles() throws {
        let pages = try PageRenderer(configuration: testConfiguration())
        #expect(pages.templates.templateNames.contains("layouts/patient"))
        #expect(pages.templates.templateNames.contains("pages/patient/home"))
        #expect(pages.templates.templateNames.contains("pages/errors/error"))
    }
}

@Suite("Development mode")
struct DevelopmentModeTests {
    /// A copy of the real templates that a test may break.
    private func copyOfTemplates() throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Templates"), to: copy)
        return copy
    }

    @Test func editedTemplatesAreServedWithoutRestartAndBreakageIsShown() async throws {
        let templates = try copyOfTemplates()
        var configuration = testConfiguration(development: true)
        configuration.templatesDirectory = templates.path
        let pages = try PageRenderer(configuration: configuration)
        let region = Region(settings: configuration.misEndpoints, transport: testTransport, logger: testLogger)
        let router = try await buildRouter(configuration, pages: pages, region: region, database: try AppDatabase.inMemory(), logger: testLogger)
        let app = Application(router: HeadAsGetResponderBuilder(router: router), logger: testLogger)
        let home = templates.appendingPathComponent("pages/patient/home.html")

        try await app.test(.router) { client in
            var source = try String(contentsOf: home, encoding: .utf8)
            source = source.replacingOccurrences(of: "<h1>{{ page.title }}</h1>", with: "<h1>Изменено: {{ page.title }}</h1>")
            try source.write(to: home, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: home.path)
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.text.contains("<h1>Изменено: Запись к врачу онлайн</h1>"))
            }

            try (source + "{% endif %}").write(to: home, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(10)], ofItemAtPath: home.path)
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.text.contains("pages/patient/home.html:"))
                #expect(response.text.contains("{% endif %} has no matching opening tag"))
            }
        }
    }
}
